import DocplannerAPI
import Foundation
import Logging
import Partner
import Store

/// Applies one inbox job (a stored Docplanner notification) to the partner system and
/// records the outcome in the store: done; retry later when the partner is unavailable;
/// a dead letter, with the reason, when the event can never be applied.
public struct InboundProcessor: JobProcessor {
    let queue: JobQueue
    let partner: any PartnerSystem
    let logger: Logger
    /// Hears of each event once it was applied (`MappingWatch.observe`); it must not block.
    let onApplied: (@Sendable (DocplannerNotification) -> Void)?

    public init(
        queue: JobQueue, partner: any PartnerSystem, logger: Logger,
        onApplied: (@Sendable (DocplannerNotification) -> Void)? = nil
    ) {
        self.queue = queue
        self.partner = partner
        self.logger = logger
        self.onApplied = onApplied
    }

    /// What became of a job.
    public enum Outcome: Sendable, Equatable {
        case applied
        /// The same event was applied before (a re-send, or PUSH and PULL both).
        case alreadyApplied
        case retrying(String)
        case dead(String)
    }

    public func process(_ job: Job) throws(StoreError) {
        _ = try processReturningOutcome(job)
    }

    /// Processes `job` and records its outcome; returns it.
    @discardableResult
    public func processReturningOutcome(_ job: Job) throws(StoreError) -> Outcome {
        let (outcome, notification) = apply(job)
        var metadata: Logger.Metadata = ["event": "\(job.kind)", "job_id": "\(job.id)", "attempt": "\(job.attempts)"]
        if let booking = Self.bookingID(in: job) { metadata["booking_id"] = "\(booking)" }
        switch outcome {
        case .applied, .alreadyApplied:
            _ = try queue.complete(job)
            metadata["result"] = outcome == .applied ? "applied" : "already-applied"
            metadata["latency_ms"] = "\(Int(Date().timeIntervalSince(job.createdAt) * 1000))"
            logger.info("event applied to the partner calendar", metadata: metadata)
            if outcome == .applied, let notification { onApplied?(notification) }
        case .retrying(let reason):
            _ = try queue.retryLater(job, error: reason)
            metadata["error"] = "\(reason)"
            logger.warning("event not applied yet; will retry", metadata: metadata)
        case .dead(let reason):
            _ = try queue.failPermanently(job, reason: reason)
            metadata["error"] = "\(reason)"
            logger.error("event cannot be applied; kept as a dead letter", metadata: metadata)
        }
        return outcome
    }

    private func apply(_ job: Job) -> (Outcome, DocplannerNotification?) {
        let notification: DocplannerNotification
        do {
            notification = try DocplannerNotification.decode(Data(job.payload))
        } catch {
            return (.dead("\(error)"), nil)
        }
        let changes: [PartnerChange]
        switch NotificationTranslator.changes(for: notification) {
        case .success(let list): changes = list
        case .failure(let problem): return (.dead(problem.description), notification)
        }
        let time = notification.createdAt?.date ?? job.createdAt
        do {
            let applied = try partner.apply(changes, eventKey: job.dedupKey, eventTime: time)
            return (applied ? .applied : .alreadyApplied, notification)
        } catch {
            return (error.isRetryable ? .retrying(error.description) : .dead(error.description), notification)
        }
    }

    private static func bookingID(in job: Job) -> String? {
        guard let ordering = job.orderingKey, ordering.hasPrefix("booking:") else { return nil }
        return String(ordering.dropFirst("booking:".count))
    }
}
