import Foundation

/// A facility (clinic) the API client may act for.
public struct Facility: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    /// With `facility.doctors`.
    public var doctors: ItemList<Doctor>?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case doctors
    }

    public init(
        id: String? = nil, name: String? = nil, doctors: ItemList<Doctor>? = nil
    ) {
        self.id = id
        self.name = name
        self.doctors = doctors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        doctors = container.lenient(.doctors)
    }
}
