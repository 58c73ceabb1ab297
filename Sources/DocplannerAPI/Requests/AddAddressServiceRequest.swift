/// Body of `addAddressService` (POST …/addresses/{address_id}/services).
package struct AddAddressServiceRequest: Codable, Sendable, Equatable {
    /// The dictionary service id (required).
    package var serviceID: String
    package var isPriceFrom: Bool?
    package var price: Double?
    package var description: String?
    package var isVisible: Bool?
    /// Minutes.
    package var defaultDuration: Int?
    package var allowedPatients: AllowedPatients?
    package var customName: String?

    package init(
        serviceID: String, isPriceFrom: Bool? = nil, price: Double? = nil, description: String? = nil,
        isVisible: Bool? = nil, defaultDuration: Int? = nil, allowedPatients: AllowedPatients? = nil,
        customName: String? = nil
    ) {
        self.serviceID = serviceID
        self.isPriceFrom = isPriceFrom
        self.price = price
        self.description = description
        self.isVisible = isVisible
        self.defaultDuration = defaultDuration
        self.allowedPatients = allowedPatients
        self.customName = customName
    }

    enum CodingKeys: String, CodingKey {
        case serviceID = "service_id"
        case isPriceFrom = "is_price_from"
        case price, description
        case isVisible = "is_visible"
        case defaultDuration = "default_duration"
        case allowedPatients = "allowed_patients"
        case customName = "custom_name"
    }
}
