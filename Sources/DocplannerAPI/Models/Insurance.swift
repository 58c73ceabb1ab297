import Foundation

/// The insurance used for a booking.
package struct Insurance: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?
    package var plan: String?
    package var planID: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case plan
        case planID = "plan_id"
    }

    package init(
        id: String? = nil, name: String? = nil, plan: String? = nil, planID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.plan = plan
        self.planID = planID
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        plan = container.lenientString(.plan)
        planID = container.lenientString(.planID)
    }
}
