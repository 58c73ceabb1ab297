/// The kinds of Docplanner resources an integration maps to the partner's own ids.
package enum ResourceKind: String, Sendable, CaseIterable, Codable, Comparable {
    case facility
    case doctor
    /// A doctor's address (where a calendar lives).
    case address
    /// An address service (a doctor's service at one address; `address_service` of events).
    case service
    /// An insurance provider from Docplanner's dictionary.
    case insurance
    /// An insurance plan from Docplanner's dictionary; it belongs to one insurance
    /// provider (`DocplannerResource.insuranceProviderID`).
    case plan

    /// The order `map list` and discovery walk them in.
    package static func < (a: ResourceKind, b: ResourceKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Insurance providers and plans: Docplanner's dictionary, shared by every facility.
    package var isDictionary: Bool { self == .insurance || self == .plan }
}
