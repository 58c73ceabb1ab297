import Foundation

/// A plan of an insurance provider.
public struct InsurancePlan: Codable, Sendable, Equatable {
    public var insurancePlanID: String?
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case insurancePlanID = "insurance_plan_id"
        case name
    }

    public init(
        insurancePlanID: String? = nil, name: String? = nil
    ) {
        self.insurancePlanID = insurancePlanID
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insurancePlanID = container.lenientString(.insurancePlanID)
        name = container.lenientString(.name)
    }
}
