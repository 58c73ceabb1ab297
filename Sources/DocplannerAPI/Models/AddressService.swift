import Foundation

/// A service offered at an address (also the `address_service` of bookings and events).
package struct AddressService: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?
    /// Integer part of the price; nil when not shown.
    package var price: Int?
    package var isPriceFrom: Bool?
    package var isDefault: Bool?
    package var description: String?
    /// The dictionary service id.
    package var serviceID: String?
    package var duration: Int?
    package var isVisible: Bool?
    package var allowedPatients: AllowedPatients?
    package var customName: String?
    package var isPublicInsuranceFlow: Bool?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case price
        case isPriceFrom = "is_price_from"
        case isDefault = "is_default"
        case description
        case serviceID = "service_id"
        case duration
        case isVisible = "is_visible"
        case allowedPatients = "allowed_patients"
        case customName = "custom_name"
        case isPublicInsuranceFlow = "is_public_insurance_flow"
    }

    package init(
        id: String? = nil, name: String? = nil, price: Int? = nil, isPriceFrom: Bool? = nil,
        isDefault: Bool? = nil, description: String? = nil, serviceID: String? = nil,
        duration: Int? = nil, isVisible: Bool? = nil, allowedPatients: AllowedPatients? = nil,
        customName: String? = nil, isPublicInsuranceFlow: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.price = price
        self.isPriceFrom = isPriceFrom
        self.isDefault = isDefault
        self.description = description
        self.serviceID = serviceID
        self.duration = duration
        self.isVisible = isVisible
        self.allowedPatients = allowedPatients
        self.customName = customName
        self.isPublicInsuranceFlow = isPublicInsuranceFlow
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        price = container.lenientInt(.price)
        isPriceFrom = container.lenientBool(.isPriceFrom)
        isDefault = container.lenientBool(.isDefault)
        description = container.lenientString(.description)
        serviceID = container.lenientString(.serviceID)
        duration = container.lenientInt(.duration)
        isVisible = container.lenientBool(.isVisible)
        allowedPatients = container.lenient(.allowedPatients)
        customName = container.lenientString(.customName)
        isPublicInsuranceFlow = container.lenientBool(.isPublicInsuranceFlow)
    }
}
