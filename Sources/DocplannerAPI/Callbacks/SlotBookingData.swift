import Foundation

/// The `data` of `slot-booking` (blocking: the answer approves or denies the booking).
package struct SlotBookingData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var visitBookingRequest: VisitBookingRequest?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBookingRequest = "visit_booking_request"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBookingRequest: VisitBookingRequest? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBookingRequest = visitBookingRequest
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBookingRequest = container.lenient(.visitBookingRequest)
    }
}
