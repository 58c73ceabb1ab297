import Foundation
import Logging
import Store
import Synchronization

/// Worker threads that claim inbox jobs (with a lease, in order per booking or calendar,
/// as the store hands them out) and apply them through an `InboundProcessor`.
/// `wake()` after an enqueue gets an idle worker going at once; otherwise idle workers
/// look again every `idlePoll` (for retries coming due and expired leases).
public final class InboundWorkers: Sendable {
    private let queue: JobQueue
    private let processor: InboundProcessor
    private let count: Int
    private let lease: Double
    private let idlePoll: Double
    private let logger: Logger
    private let signal = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchGroup()
    private let processed = Atomic<Int>(0)
    private let beats: Mutex<[UInt64]>

    public init(
        queue: JobQueue, processor: InboundProcessor, count: Int, logger: Logger, lease: Double = 30,
        idlePoll: Double = 0.25
    ) {
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
                run(index: index, workerID: "inbound-\(index)-\(getpid())")
                finished.leave()
            }
            thread.name = "dpbridge-inbound-\(index)"
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
                logger.error("cannot claim inbox jobs", metadata: ["event": "claim-failed", "error": "\(error)"])
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
                    metadata: ["event": "outcome-failed", "job_id": "\(job.id)", "error": "\(error)"])
            }
            processed.add(1, ordering: .relaxed)
        }
    }
}
