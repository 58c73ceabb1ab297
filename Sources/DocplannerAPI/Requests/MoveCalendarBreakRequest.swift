/// Body of `moveCalendarBreak` (PATCH …/breaks/{break_id}).
public struct MoveCalendarBreakRequest: Codable, Sendable, Equatable {
    public var since: DocplannerDateTime
    public var till: DocplannerDateTime

    public init(since: DocplannerDateTime, till: DocplannerDateTime) {
        self.since = since
        self.till = till
    }
}
