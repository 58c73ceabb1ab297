/// Docplanner's list shape: `{"_items": [...]}` (HATEOAS). Elements that do not decode are
/// skipped rather than failing the whole list.
public struct ItemList<Element: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var items: [Element]

    public init(_ items: [Element] = []) { self.items = items }

    enum CodingKeys: String, CodingKey {
        case items = "_items"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = container.lenientArray(.items) ?? []
    }
}
