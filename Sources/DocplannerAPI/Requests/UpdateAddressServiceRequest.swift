/// Body of `updateAddressService` (PATCH …/services/{address_service_id}). Fields left nil
/// are left out; the nullable ones (`price`, `description`, `allowed_patients`,
/// `custom_name`) can also be cleared with an explicit `null` (`PatchField.clear`).
package struct UpdateAddressServiceRequest: Codable, Sendable, Equatable {
    package var isPriceFrom: Bool?
    package var price: PatchField<Double>
    package var description: PatchField<String>
    /// Minutes.
    package var defaultDuration: Int?
    package var isVisible: Bool?
    package var allowedPatients: PatchField<AllowedPatients>
    package var customName: PatchField<String>

    package init(
        isPriceFrom: Bool? = nil, price: PatchField<Double> = nil, description: PatchField<String> = nil,
        defaultDuration: Int? = nil, isVisible: Bool? = nil, allowedPatients: PatchField<AllowedPatients> = nil,
        customName: PatchField<String> = nil
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

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        isPriceFrom = try container.decodeIfPresent(Bool.self, forKey: .isPriceFrom)
        price = try container.decode(PatchField<Double>.self, forKey: .price)
        description = try container.decode(PatchField<String>.self, forKey: .description)
        defaultDuration = try container.decodeIfPresent(Int.self, forKey: .defaultDuration)
        isVisible = try container.decodeIfPresent(Bool.self, forKey: .isVisible)
        allowedPatients = try container.decode(PatchField<AllowedPatients>.self, forKey: .allowedPatients)
        customName = try container.decode(PatchField<String>.self, forKey: .customName)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(isPriceFrom, forKey: .isPriceFrom)
        try container.encode(price, forKey: .price)
        try container.encode(description, forKey: .description)
        try container.encodeIfPresent(defaultDuration, forKey: .defaultDuration)
        try container.encodeIfPresent(isVisible, forKey: .isVisible)
        try container.encode(allowedPatients, forKey: .allowedPatients)
        try container.encode(customName, forKey: .customName)
    }
}
