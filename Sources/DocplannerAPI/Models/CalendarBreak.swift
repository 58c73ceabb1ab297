import Foundation

/// A calendar break (time the doctor is unavailable); also the `break` of break events.
package struct CalendarBreak: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var since: DocplannerDateTime?
    package var till: DocplannerDateTime?
    package var description: String?

    enum CodingKeys: String, CodingKey {
        case id
        case since
        case till
        case description
    }

    package init(
        id: String? = nil, since: DocplannerDateTime? = nil, till: DocplannerDateTime? = nil,
        description: String? = nil
    ) {
        self.id = id
        self.since = since
        self.till = till
        self.description = description
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        since = container.lenient(.since)
        till = container.lenient(.till)
        description = container.lenientString(.description)
    }
}
