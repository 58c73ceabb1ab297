import Foundation

/// The `data` of `slot-booking` (blocking: the answer approves or denies the booking).
public struct SlotBookingData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var visitBookingRequest: VisitBookingRequest?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBookingRequest = "visit_booking_request"
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBookingRequest: VisitBookingRequest? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBookingRequest = visitBookingRequest
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBookingRequest = container.lenient(.visitBookingRequest)
    }
}
