import Foundation

/// An insurance provider accepted at an address, with its plans.
package struct AddressInsuranceProvider: Codable, Sendable, Equatable {
    package var insuranceProviderID: String?
    package var name: String?
    package var insurancePlans: ItemList<InsurancePlan>?

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case name
        case insurancePlans = "insurance_plans"
    }

    package init(
        insuranceProviderID: String? = nil, name: String? = nil,
        insurancePlans: ItemList<InsurancePlan>? = nil
    ) {
        self.insuranceProviderID = insuranceProviderID
        self.name = name
        self.insurancePlans = insurancePlans
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insuranceProviderID = container.lenientString(.insuranceProviderID)
        name = container.lenientString(.name)
        insurancePlans = container.lenient(.insurancePlans)
    }
}
