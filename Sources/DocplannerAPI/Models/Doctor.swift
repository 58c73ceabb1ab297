import Foundation

/// A doctor of a facility.
package struct Doctor: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?
    package var surname: String?
    /// With `doctor.profile_url`.
    package var profileURL: String?
    /// With `doctor.addresses`.
    package var addresses: ItemList<Address>?
    /// With `doctor.specializations` (the schema spells it `specialization`; both are read).
    package var specializations: ItemList<Specialization>?
    /// With `doctor.license_numbers`.
    package var licenseNumbers: ItemList<LicenseNumber>?

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

    package init(
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

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        surname = container.lenientString(.surname)
        profileURL = container.lenientString(.profileURL)
        addresses = container.lenient(.addresses)
        specializations = container.lenient(.specializations)
        if specializations == nil {
            specializations = container.keyed(by: SchemaKeys.self).lenient(.specialization)
        }
        licenseNumbers = container.lenient(.licenseNumbers)
    }
}
