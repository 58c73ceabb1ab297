import Foundation

/// A doctor's license number.
package struct LicenseNumber: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var licenseNumber: String?

    enum CodingKeys: String, CodingKey {
        case id
        case licenseNumber = "license_number"
    }

    package init(
        id: String? = nil, licenseNumber: String? = nil
    ) {
        self.id = id
        self.licenseNumber = licenseNumber
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        licenseNumber = container.lenientString(.licenseNumber)
    }
}
