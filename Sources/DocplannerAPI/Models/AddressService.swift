import Foundation

/// A service offered at an address (also the `address_service` of bookings and events).
public struct AddressService: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    /// Integer part of the price; nil when not shown.
    public var price: Int?
    public var isPriceFrom: Bool?
    public var isDefault: Bool?
    public var description: String?
    /// The dictionary service id.
    public var serviceID: String?
    public var duration: Int?
    public var isVisible: Bool?
    public var allowedPatients: AllowedPatients?
    public var customName: String?
    public var isPublicInsuranceFlow: Bool?

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

    public init(
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
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
