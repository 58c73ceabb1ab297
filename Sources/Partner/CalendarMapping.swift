/// One mapping as the clinic calendar publishes it in `dpbridge_mappings`: which partner
/// resource stands for which Docplanner one.
public struct CalendarMapping: Sendable, Equatable {
    /// The resource kind as stored (`doctor`, `address`, `service`, …).
    public var kind: String
    public var docplannerID: String
    public var partnerID: String

    public init(kind: String, docplannerID: String, partnerID: String) {
        self.kind = kind
        self.docplannerID = docplannerID
        self.partnerID = partnerID
    }
}
