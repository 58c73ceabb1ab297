import Foundation

/// A doctor's specialization.
package struct Specialization: Codable, Sendable, Equatable {
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

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        name = container.lenientString(.name)
    }
}
