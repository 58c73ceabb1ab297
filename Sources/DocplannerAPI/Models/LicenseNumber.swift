import Foundation

/// A doctor's license number.
public struct LicenseNumber: Codable, Sendable, Equatable {
    public var id: String?
    public var licenseNumber: String?

    enum CodingKeys: String, CodingKey {
        case id
        case licenseNumber = "license_number"
    }

    public init(
        id: String? = nil, licenseNumber: String? = nil
    ) {
        self.id = id
        self.licenseNumber = licenseNumber
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        licenseNumber = container.lenientString(.licenseNumber)
    }
}
