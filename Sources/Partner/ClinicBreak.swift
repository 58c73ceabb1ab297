import Foundation

/// A break row as the clinic left it, with what Docplanner last acknowledged of it.
package struct ClinicBreak: Sendable, Equatable {
    package var rowID: Int64
    package var docplannerID: String?
    package var calendar: CalendarRef
    package var since: Date?
    package var till: Date?
    package var deleted: Bool
    package var syncedSince: Date?
    package var syncedTill: Date?
    package var syncedDeleted: Bool

    package init(
        rowID: Int64, docplannerID: String?, calendar: CalendarRef, since: Date?, till: Date?, deleted: Bool,
        syncedSince: Date?, syncedTill: Date?, syncedDeleted: Bool
    ) {
        self.rowID = rowID
        self.docplannerID = docplannerID
        self.calendar = calendar
        self.since = since
        self.till = till
        self.deleted = deleted
        self.syncedSince = syncedSince
        self.syncedTill = syncedTill
        self.syncedDeleted = syncedDeleted
    }
}
