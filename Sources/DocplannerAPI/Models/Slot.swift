import Foundation

/// An available slot (`GET …/slots`).
package struct Slot: Codable, Sendable, Equatable {
    package var start: DocplannerDateTime?
    package var end: DocplannerDateTime?
    /// With `slot.services`.
    package var addressServices: ItemList<AddressService>?

    enum CodingKeys: String, CodingKey {
        case start
        case end
        case addressServices = "address_services"
    }

    package init(
        start: DocplannerDateTime? = nil, end: DocplannerDateTime? = nil,
        addressServices: ItemList<AddressService>? = nil
    ) {
        self.start = start
        self.end = end
        self.addressServices = addressServices
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = container.lenient(.start)
        end = container.lenient(.end)
        addressServices = container.lenient(.addressServices)
    }
}
