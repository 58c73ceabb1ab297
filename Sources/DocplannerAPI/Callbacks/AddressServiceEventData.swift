import Foundation

/// The `data` of `address-service-created`, `-deleted` and `-changed`.
public struct AddressServiceEventData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var addressService: AddressService?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case addressService = "address_service"
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        addressService: AddressService? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.addressService = addressService
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        addressService = container.lenient(.addressService)
    }
}
