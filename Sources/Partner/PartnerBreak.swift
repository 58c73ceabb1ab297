import Foundation

/// A calendar break (the doctor is not available from `since` to `till`).
public struct PartnerBreak: Sendable, Equatable, Codable {
    /// Docplanner's break id.
    public var docplannerID: String
    public var calendar: CalendarRef
    public var since: String?
    public var till: String?
    public var sinceDate: Date?
    public var tillDate: Date?
    public var description: String?
    public var deleted: Bool

    public init(
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
