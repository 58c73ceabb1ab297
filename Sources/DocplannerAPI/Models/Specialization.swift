import Foundation

/// A doctor's specialization.
public struct Specialization: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
    }

    public init(
        id: String? = nil, name: String? = nil
    ) {
        self.id = id
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        name = container.lenientString(.name)
    }
}
