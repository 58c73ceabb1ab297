/// The kinds of Docplanner resources an integration maps to the partner's own ids.
public enum ResourceKind: String, Sendable, CaseIterable, Codable, Comparable {
    case facility
    case doctor
    /// A doctor's address (where a calendar lives).
    case address
    /// An address service (a doctor's service at one address; `address_service` of events).
    case service
    /// An insurance provider from Docplanner's dictionary.
    case insurance

    /// The order `map list` and discovery walk them in.
    public static func < (a: ResourceKind, b: ResourceKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
