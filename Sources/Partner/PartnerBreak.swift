import Foundation

/// A calendar break (the doctor is not available from `since` to `till`).
package struct PartnerBreak: Sendable, Equatable, Codable {
    /// Docplanner's break id.
    package var docplannerID: String
    package var calendar: CalendarRef
    package var since: String?
    package var till: String?
    package var sinceDate: Date?
    package var tillDate: Date?
    package var description: String?
    package var deleted: Bool

    package init(
        docplannerID: String, calendar: CalendarRef, since: String? = nil, till: String? = nil,
        sinceDate: Date? = nil, tillDate: Date? = nil, description: String? = nil, deleted: Bool = false
    ) {
        self.docplannerID = docplannerID
        self.calendar = calendar
        self.since = since
        self.till = till
        self.sinceDate = sinceDate
        self.tillDate = tillDate
        self.description = description
        self.deleted = deleted
    }
}
