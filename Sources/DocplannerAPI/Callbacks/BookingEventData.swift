import Foundation

/// The `data` of `slot-booked`, `booking-canceled` and `booking-confirmed`.
package struct BookingEventData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var visitBooking: NotificationBooking?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBooking = "visit_booking"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBooking: NotificationBooking? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBooking = visitBooking
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBooking = container.lenient(.visitBooking)
    }
}
