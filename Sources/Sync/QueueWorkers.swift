import Foundation
import Logging
import Scheduling
import Store
import Synchronization

/// Processes claimed jobs and records their outcomes in the queue.
package protocol JobProcessor: Sendable {
    func process(_ job: Job) throws(StoreError)
    /// Processes jobs claimed together (at most one per ordering key). By default one by
    /// one; a processor that can apply and record a batch at once does so.
    func process(batch jobs: [Job]) throws(StoreError)
}

extension JobProcessor {
    package func process(batch jobs: [Job]) throws(StoreError) {
        for job in jobs { try process(job) }
    }
}

/// The workers of one queue (the inbox or the outbox of one tenant), as work on the
/// shared `WorkScheduler`: no thread of their own, and nothing polls. A run claims up to
/// `batchSize` ready jobs (with a lease, in order per ordering key, as the store hands
/// them out) and hands them to the `JobProcessor`; a run that found jobs asks for another
/// (up to `count` run at once for this queue), a run that found none sleeps until the
/// next job comes due (a retry's `not_before`, an expired lease) or `wake()` after an
/// enqueue. `idlePoll` bounds that sleep, for jobs another process stored (`dpbridge
/// activate` resuming a slot feed; operator commands go through the admin listener, which
/// wakes the workers): five minutes, like the collector's safety net, so that an idle
/// clinic's store connection is not kept open by the look (`OpenConnections`).
///
/// `gather` lets jobs gather before a run takes them: a `wake()` asks for a run that much
/// later, and a run that found fewer than `batchSize` jobs (it took all there were) leaves
/// the next look to the next wake. At a steady 1,000 events a second a run then takes ~10
/// at once instead of one or two, and each run's transactions and their flushes to disk are
/// shared by all of them; a full batch still asks for the next run at once.
package final class QueueWorkers: BackgroundPart {
    private let role: String
    private let queue: JobQueue
    private let processor: any JobProcessor
    private let count: Int
    private let batchSize: Int
    private let lease: Double
    private let idlePoll: Double
    private let gather: Double
    private let logger: Logger
    private let watched: Bool
    private let work: CoalescedWork
    private let processed = Atomic<Int>(0)
    private let workerID: String

    /// `role` names the log lines ("inbound", "outbound"). `count`: runs at once for this
    /// queue; `batchSize`: jobs one run claims; `gather`: seconds new jobs wait for others
    /// before a run. `watched`: whether the systemd watchdog checks these workers.
    package init(
        role: String, queue: JobQueue, processor: any JobProcessor, count: Int, logger: Logger, lease: Double = 30,
        batchSize: Int = 1, gather: Double = 0, idlePoll: Double = 300, watched: Bool = true,
        scheduler: WorkScheduler = .shared
    ) {
        self.role = role
        self.queue = queue
        self.processor = processor
        self.count = max(1, count)
        self.batchSize = max(1, batchSize)
        self.lease = lease
        self.idlePoll = idlePoll
        self.gather = max(0, gather)
        self.logger = logger
        self.watched = watched
        workerID = "\(role)-\(getpid())"
        let box = WorkBox()
        work = CoalescedWork(scheduler: scheduler, limit: max(1, count)) { box.run?() }
        box.run = { [unowned self] in drain() }
    }

    /// Looks for due jobs now.
    package func start() { work.signal() }

    /// New work was stored: a run looks at once, or after `gather`.
    package func wake() { work.signal(after: gather) }

    /// Grows while the workers turn; frozen while a run does not end. Nil for workers left
    /// out of the watchdog.
    package var heartbeat: UInt64? { watched ? work.heartbeat : nil }

    /// Jobs processed since start (for status and tests).
    package var processedCount: Int { processed.load(ordering: .relaxed) }

    /// Lets each run finish the jobs in hand, then returns once none runs. Claimed but
    /// unstarted jobs go back to the queue when their lease expires (or at the next start).
    package func stop() { work.stop() }

    private func drain() {
        guard !work.isStopped else { return }
        let jobs: [Job]
        do {
            jobs = try queue.claim(limit: batchSize, lease: lease, workerID: workerID)
        } catch {
            logger.error(
                "cannot claim jobs", metadata: ["event": "claim-failed", "queue": "\(role)", "error": "\(error)"])
            work.signal(after: 1)
            return
        }
        guard !jobs.isEmpty else {
            sleepUntilDue()
            return
        }
        // More may be ready (the batch is full, or nothing gathers): another run (or this
        // one again) looks.
        let full = jobs.count == batchSize
        if full || gather == 0 { work.signal() }
        do {
            try processor.process(batch: jobs)
        } catch {
            logger.error(
                "cannot record the outcome of jobs; their leases will expire and they will be retried",
                metadata: [
                    "event": "outcome-failed", "queue": "\(role)", "job_ids": "\(jobs.map(\.id))", "error": "\(error)",
                ])
        }
        processed.add(jobs.count, ordering: .relaxed)
        // Jobs held back behind these (the same ordering key) are claimable now; a run
        // that looked meanwhile did not see them.
        work.signal(after: full ? 0 : gather)
    }

    /// Asks for a run when the next job comes due, within `idlePoll`.
    private func sleepUntilDue() {
        var delay = idlePoll
        if let wait = try? queue.secondsUntilNextDue() {
            // A job due now but not claimable waits behind another of its ordering key,
            // whose end asks for a run.
            if wait > 0 { delay = min(delay, wait + 0.001) }
        }
        work.signal(after: delay)
    }
}

/// Lets the work's body call back into the workers that own it.
private final class WorkBox: @unchecked Sendable {
    // @unchecked: `run` is set once, in the owner's init, before the work can run.
    var run: (@Sendable () -> Void)?
}
