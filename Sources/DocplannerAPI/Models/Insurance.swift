import Foundation

/// The insurance used for a booking.
public struct Insurance: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var plan: String?
    public var planID: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case plan
        case planID = "plan_id"
    }

    public init(
        id: String? = nil, name: String? = nil, plan: String? = nil, planID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.plan = plan
        self.planID = planID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        plan = container.lenientString(.plan)
        planID = container.lenientString(.planID)
    }
}
