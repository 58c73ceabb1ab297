import DocplannerAPI
import Foundation
import Partner

/// Repairs drift between Docplanner and the clinic calendar for one doctor's calendar
/// at one address: lists Docplanner's bookings over the horizon (`getBookings`) and
/// compares them with the clinic's rows. Events lost on the way (a push never
/// delivered, a cancel the clinic sent that did not take) leave the two sides
/// disagreeing; each disagreement is repaired and described.
///
/// Rows with a clinic change not yet sent are left to outbound sync; Docplanner's
/// state is applied with the listing's time, so an older event arriving later does not
/// undo the repair.
package struct Reconciler: Sendable {
    let docplanner: DocplannerClient
    let partner: any ClinicCalendar & PartnerSystem
    let horizonWeeks: Int

    package init(docplanner: DocplannerClient, partner: any ClinicCalendar & PartnerSystem, horizonWeeks: Int) {
        self.docplanner = docplanner
        self.partner = partner
        self.horizonWeeks = horizonWeeks
    }

    package enum Failure: Error {
        case docplanner(DocplannerError)
        case partner(PartnerError)
    }

    /// Compares and repairs; returns one line per repair.
    package func reconcile(_ c: CalendarRef, now: Date) throws(Failure) -> [String] {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = docplanner.configuration.timeZone
        let from = gregorian.startOfDay(for: now)
        let to = now.addingTimeInterval(Double(horizonWeeks * 7 * 86_400))
        let remote: [Booking]
        do {
            remote = try docplanner.getAllBookings(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, start: from, end: to,
                with: [.bookingPatient, .bookingAddressService], priority: .low)
        } catch {
            throw .docplanner(error)
        }
        let local = try partner { () throws(PartnerError) in try partner.clinicBookings(c, from: from, to: to) }
        let localByID = Dictionary(local.compactMap { row in row.docplannerID.map { ($0, row) } }) { first, _ in first }
        let key = "reconcile:\(Int(now.timeIntervalSince1970 * 1000))"
        var repairs: [String] = []

        for booking in remote {
            guard let id = booking.id else { continue }
            let canceled = booking.status == "canceled"
            if let row = localByID[id] {
                guard row.status == (row.syncedStatus ?? row.status) else { continue }  // a clinic change is on its way
                if canceled && row.status == .booked {
                    try apply(.canceled(partnerBooking(booking, c)), "\(key):\(id):canceled", now)
                    repairs.append("booking \(id) is canceled on Docplanner: canceled in the clinic calendar")
                } else if !canceled && row.status == .canceled {
                    // (The list carries no `moving`: a row moved in the clinic has the new
                    // booking's id, never a canceled status.)
                    do {
                        _ = try docplanner.cancelBookingIfBooked(
                            facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: id,
                            reason: "Canceled in the clinic")
                    } catch {
                        throw .docplanner(error)
                    }
                    try partner { () throws(PartnerError) in
                        try partner.recordBookingSynced(
                            rowID: row.rowID,
                            BookingSyncState(
                                docplannerID: id, status: .canceled, start: row.syncedStart,
                                confirmed: row.syncedConfirmed,
                                presence: row.syncedPresence))
                    }
                    repairs.append(
                        "booking \(id) canceled in the clinic was still booked on Docplanner: canceled there")
                }
            } else if !canceled {
                let known = try partner { () throws(PartnerError) in try partner.booking(docplannerID: id) }
                if known == nil {
                    try apply(.booked(partnerBooking(booking, c)), "\(key):\(id):booked", now)
                    repairs.append("booking \(id) on Docplanner was missing in the clinic calendar: added")
                }
            }
        }

        let listed = Set(remote.compactMap(\.id))
        for row in local where row.status == .booked && row.syncedStatus == .booked {
            guard let id = row.docplannerID, !listed.contains(id) else { continue }
            let gone: Bool
            do {
                let current = try docplanner.getBooking(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: id,
                    priority: .low)
                gone = current.status == "canceled"
            } catch .notFound {
                gone = true
            } catch {
                throw .docplanner(error)
            }
            guard gone else { continue }
            try apply(
                .canceled(PartnerBooking(docplannerID: id, calendar: c, start: row.start, end: row.end)),
                "\(key):\(id):gone", now)
            repairs.append("booking \(id) no longer exists on Docplanner: canceled in the clinic calendar")
        }
        return repairs
    }

    private func apply(_ change: PartnerChange, _ eventKey: String, _ time: Date) throws(Failure) {
        _ = try partner { () throws(PartnerError) in try partner.apply([change], eventKey: eventKey, eventTime: time) }
    }

    private func partnerBooking(_ booking: Booking, _ c: CalendarRef) -> PartnerBooking {
        PartnerBooking(
            docplannerID: booking.id ?? "", calendar: c, startAt: booking.startAt?.text, endAt: booking.endAt?.text,
            start: booking.startAt?.date, end: booking.endAt?.date, serviceID: booking.addressService?.id,
            serviceName: booking.addressService?.name,
            patient: booking.patient.map {
                PartnerPatient(name: $0.name, surname: $0.surname, email: $0.email, phone: $0.phone)
            }, comment: booking.comment, bookedBy: booking.bookedBy, canceledBy: booking.canceledBy)
    }

    private func partner<T>(_ body: () throws(PartnerError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw .partner(error) }
    }
}
