import Foundation

/// The `data` of `booking-moving` (blocking: the answer allows or denies the move).
public struct BookingMovingData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var cancelingBooking: NotificationBooking?
    public var creatingBooking: VisitBookingRequest?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case cancelingBooking = "canceling_booking"
        case creatingBooking = "creating_booking"
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        cancelingBooking: NotificationBooking? = nil, creatingBooking: VisitBookingRequest? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.cancelingBooking = cancelingBooking
        self.creatingBooking = creatingBooking
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        cancelingBooking = container.lenient(.cancelingBooking)
        creatingBooking = container.lenient(.creatingBooking)
    }
}
