/// One mapping as the clinic calendar publishes it in `dpbridge_mappings`: which partner
/// resource stands for which Docplanner one.
package struct CalendarMapping: Sendable, Equatable {
    /// The resource kind as stored (`doctor`, `address`, `service`, …).
    package var kind: String
    package var docplannerID: String
    package var partnerID: String

    package init(kind: String, docplannerID: String, partnerID: String) {
        self.kind = kind
        self.docplannerID = docplannerID
        self.partnerID = partnerID
    }
}
