/// Docplanner's list shape: `{"_items": [...]}` (HATEOAS). Elements that do not decode are
/// skipped rather than failing the whole list.
package struct ItemList<Element: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    package var items: [Element]

    package init(_ items: [Element] = []) { self.items = items }

    enum CodingKeys: String, CodingKey {
        case items = "_items"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = container.lenientArray(.items) ?? []
    }
}
