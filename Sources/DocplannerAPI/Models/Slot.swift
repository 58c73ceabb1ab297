import Foundation

/// An available slot (`GET …/slots`).
public struct Slot: Codable, Sendable, Equatable {
    public var start: DocplannerDateTime?
    public var end: DocplannerDateTime?
    /// With `slot.services`.
    public var addressServices: ItemList<AddressService>?

    enum CodingKeys: String, CodingKey {
        case start
        case end
        case addressServices = "address_services"
    }

    public init(
        start: DocplannerDateTime? = nil, end: DocplannerDateTime? = nil,
        addressServices: ItemList<AddressService>? = nil
    ) {
        self.start = start
        self.end = end
        self.addressServices = addressServices
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = container.lenient(.start)
        end = container.lenient(.end)
        addressServices = container.lenient(.addressServices)
    }
}
