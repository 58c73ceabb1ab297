import Foundation

/// An insurance provider accepted at an address, with its plans.
public struct AddressInsuranceProvider: Codable, Sendable, Equatable {
    public var insuranceProviderID: String?
    public var name: String?
    public var insurancePlans: ItemList<InsurancePlan>?

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case name
        case insurancePlans = "insurance_plans"
    }

    public init(
        insuranceProviderID: String? = nil, name: String? = nil,
        insurancePlans: ItemList<InsurancePlan>? = nil
    ) {
        self.insuranceProviderID = insuranceProviderID
        self.name = name
        self.insurancePlans = insurancePlans
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insuranceProviderID = container.lenientString(.insuranceProviderID)
        name = container.lenientString(.name)
        insurancePlans = container.lenient(.insurancePlans)
    }
}
