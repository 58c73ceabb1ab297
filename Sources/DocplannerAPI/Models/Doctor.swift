import Foundation

/// A doctor of a facility.
public struct Doctor: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var surname: String?
    /// With `doctor.profile_url`.
    public var profileURL: String?
    /// With `doctor.addresses`.
    public var addresses: ItemList<Address>?
    /// With `doctor.specializations` (the schema spells it `specialization`; both are read).
    public var specializations: ItemList<Specialization>?
    /// With `doctor.license_numbers`.
    public var licenseNumbers: ItemList<LicenseNumber>?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case surname
        case profileURL = "profile_url"
        case addresses
        case specializations
        case licenseNumbers = "license_numbers"
    }

    /// The key the OpenAPI schema uses (the examples use `specializations`).
    enum SchemaKeys: String, CodingKey {
        case specialization
    }

    public init(
        id: String? = nil, name: String? = nil, surname: String? = nil, profileURL: String? = nil,
        addresses: ItemList<Address>? = nil, specializations: ItemList<Specialization>? = nil,
        licenseNumbers: ItemList<LicenseNumber>? = nil
    ) {
        self.id = id
        self.name = name
        self.surname = surname
        self.profileURL = profileURL
        self.addresses = addresses
        self.specializations = specializations
        self.licenseNumbers = licenseNumbers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        surname = container.lenientString(.surname)
        profileURL = container.lenientString(.profileURL)
        addresses = container.lenient(.addresses)
        specializations = container.lenient(.specializations)
        if specializations == nil {
            let schemaSpelling = try decoder.container(keyedBy: SchemaKeys.self)
            specializations = schemaSpelling.lenient(.specialization)
        }
        licenseNumbers = container.lenient(.licenseNumbers)
    }
}
