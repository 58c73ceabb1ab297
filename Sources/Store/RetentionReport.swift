/// What one retention run deleted (`Store.applyRetention`), and the dead letters it kept.
package struct RetentionReport: Sendable, Equatable {
    /// Done inbox jobs deleted.
    package var inboxDone = 0
    /// Done outbox jobs deleted.
    package var outboxDone = 0
    /// Blocking decisions deleted.
    package var decisions = 0
    /// Quarantined bodies deleted.
    package var quarantined = 0
    /// Dead letters older than the retention, kept until an operator replays or purges them.
    package var deadLettersKept = 0

    package init() {}

    /// Rows deleted in all.
    package var deleted: Int { inboxDone + outboxDone + decisions + quarantined }
}
