import Foundation

/// A doctor's specialization.
package struct Specialization: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
    }

    package init(
        id: String? = nil, name: String? = nil
    ) {
        self.id = id
        self.name = name
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
    }
}
