import Foundation

/// The `data` of `address-commercial-type-changed`, `address-assigned` and
/// `address-unassigned`.
package struct AddressEventData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
    }
}
