import DocplannerAPI
import Foundation
import Logging
import Partner
import SQLite
import Store

/// Applies inbox jobs (stored Docplanner notifications) to the partner system and
/// records their outcomes in the store: done; retry later when the partner is
/// unavailable; a dead letter, with the reason, when the event can never be applied.
/// A batch is applied in one partner transaction (`PartnerSystem.apply(batch:)`) and
/// recorded in one store transaction (`JobQueue.finish`).
package struct InboundProcessor: JobProcessor {
    let queue: JobQueue
    let partner: any PartnerSystem
    let logger: Logger
    /// Hears of each event once it was applied, with its translation (`MappingWatch.observe`);
    /// it must not block.
    let onApplied: (@Sendable (DocplannerNotification, [PartnerChange]) -> Void)?
    /// Notifications the callback endpoint decoded already.
    let decoded: DecodedNotifications?

    package init(
        queue: JobQueue, partner: any PartnerSystem, logger: Logger, decoded: DecodedNotifications? = nil,
        onApplied: (@Sendable (DocplannerNotification, [PartnerChange]) -> Void)? = nil
    ) {
        self.queue = queue
        self.partner = partner
        self.logger = logger
        self.decoded = decoded
        self.onApplied = onApplied
    }

    /// What became of a job.
    package enum Outcome: Sendable, Equatable {
        case applied
        /// The same event was applied before (a re-send, or PUSH and PULL both).
        case alreadyApplied
        case retrying(String)
        case dead(String)
    }

    package func process(_ job: Job) throws(StoreError) {
        _ = try processReturningOutcomes([job])
    }

    package func process(batch jobs: [Job]) throws(StoreError) {
        _ = try processReturningOutcomes(jobs)
    }

    /// Processes `job` and records its outcome; returns it.
    @discardableResult
    package func processReturningOutcome(_ job: Job) throws(StoreError) -> Outcome {
        try processReturningOutcomes([job])[0]
    }

    /// Applies `jobs` (at most one per ordering key) and records their outcomes; returns
    /// them in order.
    @discardableResult
    package func processReturningOutcomes(_ jobs: [Job]) throws(StoreError) -> [Outcome] {
        // Decode (or take the endpoint's decoding) and translate; what cannot be is dead.
        var outcomes = [Outcome?](repeating: nil, count: jobs.count)
        var events: [(index: Int, notification: DocplannerNotification, event: PartnerEvent)] = []
        events.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            let notification: DocplannerNotification
            if let kept = decoded?.take(job.id) {
                notification = kept
            } else {
                do {
                    notification = try DocplannerNotification.decode(job.payload)
                } catch {
                    outcomes[index] = .dead("\(error)")
                    continue
                }
            }
            switch NotificationTranslator.changes(for: notification) {
            case .success(let changes):
                let time = notification.createdAt?.date ?? job.createdAt
                events.append(
                    (index, notification, PartnerEvent(eventKey: job.dedupKey, eventTime: time, changes: changes)))
            case .failure(let problem):
                outcomes[index] = .dead(problem.description)
            }
        }
        for (slot, result) in zip(events, partner.apply(batch: events.map(\.event))) {
            switch result {
            case .success(let applied): outcomes[slot.index] = applied ? .applied : .alreadyApplied
            case .failure(let error):
                outcomes[slot.index] = error.isRetryable ? .retrying(error.description) : .dead(error.description)
            }
        }
        let final = outcomes.map { $0 ?? .retrying("not applied") }
        // Not flushed on its own: if a power loss drops these outcomes the events run again,
        // and the partner, which recorded them as applied in its own durable commit, changes
        // nothing (`PartnerSystem.apply`). The next enqueue's commit flushes them anyway.
        let recorded = try queue.finish(
            zip(jobs, final).map { job, outcome in
                switch outcome {
                case .applied, .alreadyApplied: (job, .complete)
                case .retrying(let reason): (job, .retry(error: reason, notBefore: nil))
                case .dead(let reason): (job, .dead(reason: reason))
                }
            }, durability: .deferredSync)
        let finished = SteadyClock().date()
        for index in jobs.indices where recorded[index] { log(jobs[index], final[index], at: finished) }
        for slot in events where recorded[slot.index] && final[slot.index] == .applied {
            onApplied?(slot.notification, slot.event.changes)
        }
        return final
    }

    /// One line per event; its fields are only put together when the level lets it through.
    private func log(_ job: Job, _ outcome: Outcome, at finished: Date) {
        func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
            var metadata: Logger.Metadata = [
                "event": "\(job.kind)", "job_id": "\(job.id)", "attempt": "\(job.attempts)",
            ]
            if let booking = Self.bookingID(in: job) { metadata["booking_id"] = "\(booking)" }
            metadata.merge(extra) { $1 }
            return metadata
        }
        switch outcome {
        case .applied, .alreadyApplied:
            logger.info(
                "event applied to the partner calendar",
                metadata: metadata([
                    "result": "\(outcome == .applied ? "applied" : "already-applied")",
                    "latency_ms": "\(Int(finished.timeIntervalSince(job.createdAt) * 1000))",
                ]))
        case .retrying(let reason):
            logger.warning("event not applied yet; will retry", metadata: metadata(["error": "\(reason)"]))
        case .dead(let reason):
            logger.error("event cannot be applied; kept as a dead letter", metadata: metadata(["error": "\(reason)"]))
        }
    }

    private static func bookingID(in job: Job) -> String? {
        guard let ordering = job.orderingKey, ordering.hasPrefix("booking:") else { return nil }
        return String(ordering.dropFirst("booking:".count))
    }
}
