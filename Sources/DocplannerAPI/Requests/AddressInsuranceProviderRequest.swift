/// Body of `addAddressInsuranceProvider` (POST) and `updateOrCreateAddressInsuranceProvider`
/// (PUT) on …/addresses/{address_id}/insurance-providers.
package struct AddressInsuranceProviderRequest: Codable, Sendable, Equatable {
    package struct Plan: Codable, Sendable, Equatable {
        package var insurancePlanID: String

        package init(insurancePlanID: String) { self.insurancePlanID = insurancePlanID }

        enum CodingKeys: String, CodingKey {
            case insurancePlanID = "insurance_plan_id"
        }
    }

    package var insuranceProviderID: String
    package var insurancePlans: [Plan]?

    package init(insuranceProviderID: String, insurancePlanIDs: [String]? = nil) {
        self.insuranceProviderID = insuranceProviderID
        insurancePlans = insurancePlanIDs?.map(Plan.init)
    }

    enum CodingKeys: String, CodingKey {
        case insuranceProviderID = "insurance_provider_id"
        case insurancePlans = "insurance_plans"
    }
}
