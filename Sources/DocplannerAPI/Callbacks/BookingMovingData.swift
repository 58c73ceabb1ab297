import Foundation

/// The `data` of `booking-moving` (blocking: the answer allows or denies the move).
package struct BookingMovingData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var cancelingBooking: NotificationBooking?
    package var creatingBooking: VisitBookingRequest?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case cancelingBooking = "canceling_booking"
        case creatingBooking = "creating_booking"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        cancelingBooking: NotificationBooking? = nil, creatingBooking: VisitBookingRequest? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.cancelingBooking = cancelingBooking
        self.creatingBooking = creatingBooking
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        cancelingBooking = container.lenient(.cancelingBooking)
        creatingBooking = container.lenient(.creatingBooking)
    }
}
