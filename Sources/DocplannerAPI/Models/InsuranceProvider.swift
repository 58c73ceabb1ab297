import Foundation

/// An insurance provider from Docplanner's dictionary.
package struct InsuranceProvider: Codable, Sendable, Equatable {
    package var insuranceProviderID: String?
    package var name: String?

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case name
    }

    package init(
        insuranceProviderID: String? = nil, name: String? = nil
    ) {
        self.insuranceProviderID = insuranceProviderID
        self.name = name
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insuranceProviderID = container.lenientString(.insuranceProviderID)
        name = container.lenientString(.name)
    }
}
