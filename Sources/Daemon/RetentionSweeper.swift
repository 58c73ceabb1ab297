import Logging
import Scheduling
import Store
import Sync

/// Applies the retention (`retention.*`) to one tenant's store at start and then every
/// `interval` seconds, as turns on the work pool, and logs each run once (`event=retention`) with
/// the counts: never a payload. Dead letters past the retention are kept (an operator
/// must look at them) and turn the line into a warning.
final class RetentionSweeper: BackgroundPart {
    private let store: Store
    private let policy: RetentionPolicy
    private let interval: Double
    private let logger: Logger
    private let loop: BackgroundLoop

    init(
        store: Store, policy: RetentionPolicy, interval: Double = 3600, logger: Logger,
        scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        self.store = store
        self.policy = policy
        self.interval = interval
        self.logger = logger
    }

    func start() {
        loop.start(name: "retention") { [self] in
            sweep()
            return interval
        }
    }

    func stop() { loop.stop() }

    /// Out of the watchdog: a sweep of a large store may take minutes (in steps that let
    /// callbacks through); it is not a sign of a stuck daemon.
    var heartbeat: UInt64? { nil }

    /// One run: deletes what is past the retention and logs what it did. Nil when the
    /// store failed (logged; the next run tries again).
    @discardableResult
    func sweep() -> RetentionReport? {
        let report: RetentionReport
        do {
            report = try store.applyRetention(policy)
        } catch {
            logger.error(
                "cannot delete data past its retention; trying again later",
                metadata: ["event": "retention-failed", "error": "\(error)"])
            return nil
        }
        var metadata: Logger.Metadata = [
            "event": "retention", "inbox_done": "\(report.inboxDone)", "outbox_done": "\(report.outboxDone)",
            "decisions": "\(report.decisions)", "quarantined": "\(report.quarantined)",
            "dead_letters_kept": "\(report.deadLettersKept)",
        ]
        metadata["retention_days"] = "\(Int(policy.finished / 86_400))"
        if report.deadLettersKept > 0 {
            logger.warning(
                "data past its retention deleted; dead letters older than retention.days are kept until replayed or purged (dpbridge deadletters)",
                metadata: metadata)
        } else {
            logger.info("data past its retention deleted", metadata: metadata)
        }
        return report
    }
}
