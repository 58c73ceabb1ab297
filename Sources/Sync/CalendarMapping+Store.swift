import Partner
import Store

extension CalendarMapping {
    /// The calendar's copy of a mapping kept in the store.
    package init(_ mapping: ResourceMapping) {
        self.init(kind: mapping.kind.rawValue, docplannerID: mapping.docplannerID, partnerID: mapping.partnerID)
    }
}
