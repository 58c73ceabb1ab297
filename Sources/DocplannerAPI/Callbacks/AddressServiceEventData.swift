import Foundation

/// The `data` of `address-service-created`, `-deleted` and `-changed`.
package struct AddressServiceEventData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var addressService: AddressService?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case addressService = "address_service"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        addressService: AddressService? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.addressService = addressService
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        addressService = container.lenient(.addressService)
    }
}
