import Foundation

/// The `data` of `address-commercial-type-changed`, `address-assigned` and
/// `address-unassigned`.
public struct AddressEventData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
    }
}
