import Foundation

/// The `data` of `slot-booked`, `booking-canceled` and `booking-confirmed`.
public struct BookingEventData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var visitBooking: NotificationBooking?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBooking = "visit_booking"
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBooking: NotificationBooking? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBooking = visitBooking
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBooking = container.lenient(.visitBooking)
    }
}
