import Foundation

/// An insurance provider from Docplanner's dictionary.
public struct InsuranceProvider: Codable, Sendable, Equatable {
    public var insuranceProviderID: String?
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case name
    }

    public init(
        insuranceProviderID: String? = nil, name: String? = nil
    ) {
        self.insuranceProviderID = insuranceProviderID
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insuranceProviderID = container.lenientString(.insuranceProviderID)
        name = container.lenientString(.name)
    }
}
