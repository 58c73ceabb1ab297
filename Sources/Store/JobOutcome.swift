/// What became of a claimed job when its worker recorded the outcome (for metrics).
package enum JobOutcome: String, Sendable, CaseIterable {
    /// Completed.
    case done
    /// Failed for now; due again after a backoff.
    case retry
    /// Kept as a dead letter: it failed for good, or ran out of attempts.
    case dead
}

/// Hears of each outcome recorded, with the queue's name (`inbox`, `outbox`), on the
/// recording worker's thread; must be quick.
package typealias JobOutcomeObserver = @Sendable (_ queue: String, _ outcome: JobOutcome) -> Void
