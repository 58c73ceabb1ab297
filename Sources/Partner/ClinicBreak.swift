import Foundation

/// A break row as the clinic left it, with what Docplanner last acknowledged of it.
public struct ClinicBreak: Sendable, Equatable {
    public var rowID: Int64
    public var docplannerID: String?
    public var calendar: CalendarRef
    public var since: Date?
    public var till: Date?
    public var deleted: Bool
    public var syncedSince: Date?
    public var syncedTill: Date?
    public var syncedDeleted: Bool

    public init(
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
