import Foundation
import Store

/// Group commit of acknowledgements on PostgreSQL: enqueues from many threads wait
/// together and go in one transaction (`PostgresQueue.enqueue`), each completed once the
/// commit is on disk; one flush, and one round of the server's commit work, for all of them.
/// One thread of its own (the SQLite writer uses the shared commit pool; here the commit
/// blocks on the server for milliseconds).
package final class PostgresGroupCommit: @unchecked Sendable {
    // @unchecked: `pending` and `stopping` only under `condition`'s lock.
    private let queue: PostgresQueue
    private let maxBatch: Int
    private let condition = NSCondition()
    private var pending: [(InboxItem, @Sendable (Result<EnqueueOutcome, StoreError>) -> Void)] = []
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// `maxBatch`: most enqueues one transaction holds.
    package init(queue: PostgresQueue, maxBatch: Int = 256) {
        self.queue = queue
        self.maxBatch = max(1, maxBatch)
        let thread = Thread { [unowned self] in
            run()
            finished.signal()
        }
        thread.name = "dpbridge-pg-commit"
        self.thread = thread
        thread.start()
    }

    /// Stores `item`; `completion` runs on the commit thread once it is durable (or failed).
    package func enqueue(
        _ item: InboxItem, completion: @escaping @Sendable (Result<EnqueueOutcome, StoreError>) -> Void
    ) {
        condition.lock()
        guard !stopping else {
            condition.unlock()
            completion(.failure(.closed))
            return
        }
        pending.append((item, completion))
        condition.signal()
        condition.unlock()
    }

    /// Commits what is pending, then ends the thread.
    package func stop() {
        condition.lock()
        let running = !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if running { finished.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty && stopping {
                condition.unlock()
                return
            }
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            do {
                let outcomes = try queue.enqueue(batch.map(\.0))
                for ((_, completion), outcome) in zip(batch, outcomes) { completion(.success(outcome)) }
            } catch {
                for (_, completion) in batch { completion(.failure(error)) }
            }
        }
    }
}
