/// Body of `moveCalendarBreak` (PATCH …/breaks/{break_id}).
package struct MoveCalendarBreakRequest: Codable, Sendable, Equatable {
    package var since: DocplannerDateTime
    package var till: DocplannerDateTime

    package init(since: DocplannerDateTime, till: DocplannerDateTime) {
        self.since = since
        self.till = till
    }
}
