/// Body of `updateAddressService` (PATCH …/services/{address_service_id}); nil fields are left out.
public struct UpdateAddressServiceRequest: Codable, Sendable, Equatable {
    public var isPriceFrom: Bool?
    public var price: Double?
    public var description: String?
    /// Minutes.
    public var defaultDuration: Int?
    public var isVisible: Bool?
    public var allowedPatients: AllowedPatients?
    public var customName: String?

    public init(
        isPriceFrom: Bool? = nil, price: Double? = nil, description: String? = nil,
        defaultDuration: Int? = nil, isVisible: Bool? = nil, allowedPatients: AllowedPatients? = nil,
        customName: String? = nil
    ) {
        self.isPriceFrom = isPriceFrom
        self.price = price
        self.description = description
        self.defaultDuration = defaultDuration
        self.isVisible = isVisible
        self.allowedPatients = allowedPatients
        self.customName = customName
    }

    enum CodingKeys: String, CodingKey {
        case isPriceFrom = "is_price_from"
        case price, description
        case defaultDuration = "default_duration"
        case isVisible = "is_visible"
        case allowedPatients = "allowed_patients"
        case customName = "custom_name"
    }
}
