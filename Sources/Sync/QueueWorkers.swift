import Foundation
import Logging
import Store
import Synchronization

/// Processes one claimed job and records its outcome in the queue.
public protocol JobProcessor: Sendable {
    func process(_ job: Job) throws(StoreError)
}

/// Worker threads that claim jobs from one queue (with a lease, in order per ordering
/// key, as the store hands them out) and hand each to a `JobProcessor`: the inbound
/// workers apply Docplanner's events to the partner, the outbound ones send the clinic's
/// changes to Docplanner. `wake()` after an enqueue gets an idle worker going at once;
/// otherwise idle workers look again every `idlePoll` (for retries coming due and
/// expired leases).
public final class QueueWorkers: Sendable {
    private let role: String
    private let queue: JobQueue
    private let processor: any JobProcessor
    private let count: Int
    private let lease: Double
    private let idlePoll: Double
    private let logger: Logger
    private let signal = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchGroup()
    private let processed = Atomic<Int>(0)
    private let beats: Mutex<[UInt64]>

    /// `role` names the threads and log lines ("inbound", "outbound").
    public init(
        role: String, queue: JobQueue, processor: any JobProcessor, count: Int, logger: Logger, lease: Double = 30,
        idlePoll: Double = 0.25
    ) {
        self.role = role
        self.queue = queue
        self.processor = processor
        self.count = max(1, count)
        self.lease = lease
        self.idlePoll = idlePoll
        self.logger = logger
        beats = Mutex([UInt64](repeating: 0, count: max(1, count)))
    }

    /// Starts the threads.
    public func start() {
        for index in 0..<count {
            finished.enter()
            let thread = Thread { [self] in
                run(index: index, workerID: "\(role)-\(index)-\(getpid())")
                finished.leave()
            }
            thread.name = "dpbridge-\(role)-\(index)"
            thread.start()
        }
    }

    /// New work was stored: wakes an idle worker.
    public func wake() { signal.signal() }

    /// A number that grows while every worker keeps turning (idle workers turn at least
    /// every `idlePoll`); it stops when one is stuck. For the systemd watchdog.
    public var heartbeat: UInt64 { beats.withLock { $0.min() ?? 0 } }

    /// Jobs processed since start (for status and tests).
    public var processedCount: Int { processed.load(ordering: .relaxed) }

    /// Lets each worker finish the job in hand, then returns once all have stopped.
    /// Claimed but unstarted jobs go back to the queue when their lease expires.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        for _ in 0..<count { signal.signal() }
        finished.wait()
    }

    private func run(index: Int, workerID: String) {
        while !stopping.load(ordering: .acquiring) {
            beats.withLock { $0[index] &+= 1 }
            let jobs: [Job]
            do {
                jobs = try queue.claim(limit: 1, lease: lease, workerID: workerID)
            } catch {
                logger.error(
                    "cannot claim jobs", metadata: ["event": "claim-failed", "queue": "\(role)", "error": "\(error)"])
                _ = signal.wait(timeout: .now() + 1)
                continue
            }
            guard let job = jobs.first else {
                _ = signal.wait(timeout: .now() + idlePoll)
                continue
            }
            do {
                try processor.process(job)
            } catch {
                logger.error(
                    "cannot record a job's outcome; its lease will expire and it will be retried",
                    metadata: ["event": "outcome-failed", "queue": "\(role)", "job_id": "\(job.id)", "error": "\(error)"])
            }
            processed.add(1, ordering: .relaxed)
        }
    }
}
