import DocplannerAPI
import Foundation
import Partner

/// Turns a Docplanner notification into the changes it asks of the partner calendar.
/// `slot-booking` and `booking-moving` ask nothing by themselves: they are questions,
/// answered synchronously; the booking follows as `slot-booked` / `booking-moved`.
package enum NotificationTranslator {
    /// The changes for `notification`; an event that names no booking, break or address
    /// service it is about gives a `Problem` (kept as a dead letter, not guessed at).
    package static func changes(for notification: DocplannerNotification) -> Result<[PartnerChange], Problem> {
        let place = notification.event.place
        let calendar = CalendarRef(
            facilityID: place.facility?.id ?? "", doctorID: place.doctor?.id ?? "", addressID: place.address?.id ?? "")
        switch notification.event {
        case .slotBooking, .bookingMoving:
            return .success([])
        case .slotBooked(let data):
            return booking(data.visitBooking, calendar, notification.name).map { [.booked($0)] }
        case .bookingCanceled(let data):
            return booking(data.visitBooking, calendar, notification.name).map { [.canceled($0)] }
        case .bookingConfirmed(let data):
            return booking(data.visitBooking, calendar, notification.name).map { [.confirmed($0)] }
        case .bookingMoved(let data):
            guard case .success(let old) = booking(data.oldVisitBooking, calendar, notification.name),
                case .success(let new) = booking(data.newVisitBooking, calendar, notification.name)
            else {
                return .failure(Problem("\(notification.name) without old_visit_booking.id and new_visit_booking.id"))
            }
            return .success([.moved(old: old, new: new)])
        case .presenceMarked(let data):
            guard let id = data.visitBooking?.id, let presence = data.presence?.text else {
                return .failure(Problem("\(notification.name) without visit_booking.id or presence"))
            }
            return .success([.presence(bookingID: id, calendar: calendar, presence: presence)])
        case .bookingPaymentStatusChanged(let data):
            guard let id = data.visitBooking?.id, let status = data.visitPaymentStatus?.statusTo else {
                return .failure(
                    Problem("\(notification.name) without visit_booking.id or visit_payment_status.status_to"))
            }
            return .success([.paymentStatus(bookingID: id, calendar: calendar, status: status)])
        case .breakCreated(let data), .breakMoved(let data):
            return calendarBreak(data.calendarBreak, calendar, notification.name).map { [.breakSet($0)] }
        case .breakRemoved(let data):
            return calendarBreak(data.calendarBreak, calendar, notification.name).map { [.breakRemoved($0)] }
        case .addressServiceCreated(let data), .addressServiceChanged(let data):
            return addressService(data.addressService, calendar, notification.name).map { [.addressServiceSet($0)] }
        case .addressServiceDeleted(let data):
            return addressService(data.addressService, calendar, notification.name).map { [.addressServiceDeleted($0)] }
        case .addressAssigned:
            return .success([.address(calendar: calendar, assigned: true, commercialType: nil)])
        case .addressUnassigned:
            return .success([.address(calendar: calendar, assigned: false, commercialType: nil)])
        case .addressCommercialTypeChanged(let data):
            guard let type = data.address?.commercialType else {
                return .failure(Problem("\(notification.name) without address.commercial_type"))
            }
            return .success([.address(calendar: calendar, assigned: nil, commercialType: type)])
        case .unknown(let name, _):
            return .failure(Problem("unknown event \(name)"))
        }
    }

    /// Why an event cannot be applied.
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    private static func booking(
        _ booking: NotificationBooking?, _ calendar: CalendarRef, _ event: String
    ) -> Result<PartnerBooking, Problem> {
        guard let booking, let id = booking.id, !id.isEmpty else {
            return .failure(Problem("\(event) without a booking id"))
        }
        let patient = booking.patient.map {
            PartnerPatient(name: $0.name, surname: $0.surname, email: $0.email, phone: $0.phone)
        }
        return .success(
            PartnerBooking(
                docplannerID: id, calendar: calendar, startAt: booking.startAt?.text, endAt: booking.endAt?.text,
                start: booking.startAt?.date, end: booking.endAt?.date, serviceID: booking.addressService?.id,
                serviceName: booking.addressService?.name, patient: patient, comment: booking.comment,
                bookedBy: booking.bookedBy, canceledBy: booking.cancellingParty))
    }

    private static func calendarBreak(
        _ item: CalendarBreak?, _ calendar: CalendarRef, _ event: String
    ) -> Result<PartnerBreak, Problem> {
        guard let item, let id = item.id, !id.isEmpty else { return .failure(Problem("\(event) without break.id")) }
        return .success(
            PartnerBreak(
                docplannerID: id, calendar: calendar, since: item.since?.text, till: item.till?.text,
                sinceDate: item.since?.date, tillDate: item.till?.date, description: item.description))
    }

    private static func addressService(
        _ service: AddressService?, _ calendar: CalendarRef, _ event: String
    ) -> Result<PartnerAddressService, Problem> {
        guard let service, let id = service.id, !id.isEmpty else {
            return .failure(Problem("\(event) without address_service.id"))
        }
        return .success(
            PartnerAddressService(
                docplannerID: id, calendar: calendar, serviceID: service.serviceID, name: service.name,
                price: service.price, isPriceFrom: service.isPriceFrom, duration: service.duration))
    }
}
