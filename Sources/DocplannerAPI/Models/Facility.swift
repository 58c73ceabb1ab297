import Foundation

/// A facility (clinic) the API client may act for.
package struct Facility: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?
    /// With `facility.doctors`.
    package var doctors: ItemList<Doctor>?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case doctors
    }

    package init(
        id: String? = nil, name: String? = nil, doctors: ItemList<Doctor>? = nil
    ) {
        self.id = id
        self.name = name
        self.doctors = doctors
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        doctors = container.lenient(.doctors)
    }
}
