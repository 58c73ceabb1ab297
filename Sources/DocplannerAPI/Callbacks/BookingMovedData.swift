import Foundation

/// The `data` of `booking-moved`: the old booking (now cancelled) and the new one.
package struct BookingMovedData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var oldVisitBooking: NotificationBooking?
    package var newVisitBooking: NotificationBooking?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case oldVisitBooking = "old_visit_booking"
        case newVisitBooking = "new_visit_booking"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        oldVisitBooking: NotificationBooking? = nil, newVisitBooking: NotificationBooking? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.oldVisitBooking = oldVisitBooking
        self.newVisitBooking = newVisitBooking
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        oldVisitBooking = container.lenient(.oldVisitBooking)
        newVisitBooking = container.lenient(.newVisitBooking)
    }
}
