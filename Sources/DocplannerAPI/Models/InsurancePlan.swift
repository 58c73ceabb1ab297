import Foundation

/// A plan of an insurance provider.
package struct InsurancePlan: Codable, Sendable, Equatable {
    package var insurancePlanID: String?
    package var name: String?

    enum CodingKeys: String, CodingKey {
        case insurancePlanID = "insurance_plan_id"
        case name
    }

    package init(
        insurancePlanID: String? = nil, name: String? = nil
    ) {
        self.insurancePlanID = insurancePlanID
        self.name = name
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insurancePlanID = container.lenientString(.insurancePlanID)
        name = container.lenientString(.name)
    }
}
