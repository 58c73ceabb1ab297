/// What one retention run deleted (`Store.applyRetention`), and the dead letters it kept.
public struct RetentionReport: Sendable, Equatable {
    /// Done inbox jobs deleted.
    public var inboxDone = 0
    /// Done outbox jobs deleted.
    public var outboxDone = 0
    /// Blocking decisions deleted.
    public var decisions = 0
    /// Quarantined bodies deleted.
    public var quarantined = 0
    /// Dead letters older than the retention, kept until an operator replays or purges them.
    public var deadLettersKept = 0

    public init() {}

    /// Rows deleted in all.
    public var deleted: Int { inboxDone + outboxDone + decisions + quarantined }
}
