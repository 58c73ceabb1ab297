/// Body of `addAddressInsuranceProvider` (POST) and `updateOrCreateAddressInsuranceProvider`
/// (PUT) on …/addresses/{address_id}/insurance-providers.
public struct AddressInsuranceProviderRequest: Codable, Sendable, Equatable {
    public struct Plan: Codable, Sendable, Equatable {
        public var insurancePlanID: String

        public init(insurancePlanID: String) { self.insurancePlanID = insurancePlanID }

        enum CodingKeys: String, CodingKey {
            case insurancePlanID = "insurance_plan_id"
        }
    }

    public var insuranceProviderID: String
    public var insurancePlans: [Plan]?

    public init(insuranceProviderID: String, insurancePlanIDs: [String]? = nil) {
        self.insuranceProviderID = insuranceProviderID
        insurancePlans = insurancePlanIDs?.map(Plan.init)
    }

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case insurancePlans = "insurance_plans"
    }
}
