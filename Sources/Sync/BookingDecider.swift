import DocplannerAPI
import Foundation
import Partner

/// Answers Docplanner's blocking questions (`slot-booking`, `booking-moving`) from the
/// partner calendar: approve when the time is free there, deny otherwise, with the
/// `error_code` from Docplanner's dictionary that the operator configured for the kind of
/// denial, so the patient sees why.
package struct BookingDecider: Sendable {
    /// The `error_code` sent for each kind of denial, nil where none is configured. The
    /// dictionary is Docplanner's: support hands each partner its codes.
    package struct ErrorCodes: Sendable, Equatable {
        package var slotTaken: String?
        package var notBookable: String?
        package var unavailable: String?

        package init(slotTaken: String? = nil, notBookable: String? = nil, unavailable: String? = nil) {
            self.slotTaken = slotTaken
            self.notBookable = notBookable
            self.unavailable = unavailable
        }
    }

    /// The answer to one question.
    package enum Decision: Sendable, Equatable {
        case approve
        case deny(code: String?, reason: String)
    }

    let partner: any PartnerSystem
    let codes: ErrorCodes

    package init(partner: any PartnerSystem, codes: ErrorCodes) {
        self.partner = partner
        self.codes = codes
    }

    /// Decides `notification`, which must be a blocking event; any other is approved
    /// (nothing to decide).
    package func decide(_ notification: DocplannerNotification) -> Decision {
        let place = notification.event.place
        let request: VisitBookingRequest?
        let moving: String?
        switch notification.event {
        case .slotBooking(let data):
            request = data.visitBookingRequest
            moving = nil
        case .bookingMoving(let data):
            request = data.creatingBooking
            moving = data.cancelingBooking?.id
        default:
            return .approve
        }
        guard let doctor = place.doctor?.id, let address = place.address?.id, !doctor.isEmpty, !address.isEmpty else {
            return .deny(code: codes.notBookable, reason: "the event names no doctor and address")
        }
        guard let start = request?.startAt?.date else {
            return .deny(code: codes.notBookable, reason: "the event has no start_at")
        }
        let end =
            request?.endAt?.date
            ?? request?.duration.map { start.addingTimeInterval(Double($0) * 60) }
            ?? start.addingTimeInterval(60)
        guard end > start else { return .deny(code: codes.notBookable, reason: "end_at is not after start_at") }
        let calendar = CalendarRef(facilityID: place.facility?.id ?? "", doctorID: doctor, addressID: address)
        do {
            if try partner.isFree(calendar, start: start, end: end, ignoring: moving) { return .approve }
            return .deny(code: codes.slotTaken, reason: "the time is taken in the clinic calendar")
        } catch {
            return .deny(code: codes.unavailable, reason: error.description)
        }
    }
}
