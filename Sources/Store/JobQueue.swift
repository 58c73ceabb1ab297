import Foundation
import SQLite
import Synchronization

/// A durable queue of jobs (the inbox or the outbox): enqueue through the group-commit
/// writer, claim with a lease, report the outcome, inspect and replay dead letters.
package final class JobQueue: Sendable {
    let table: QueueTable
    private let writer: GroupCommitWriter
    let control: ControlConnection
    let clock: any StoreClock
    /// How retries back off and when a job becomes a dead letter.
    package let retryPolicy: RetryPolicy
    private let outcomeObserver: JobOutcomeObserver?
    /// Lease tokens: random per queue object, then counted (one `UUID` per claimed job
    /// read `/dev/urandom` a thousand times a second under load).
    private let tokenPrefix = UUID().uuidString
    private let tokenCount = Atomic<UInt64>(0)

    init(
        table: QueueTable, writer: GroupCommitWriter, control: ControlConnection, clock: any StoreClock,
        retryPolicy: RetryPolicy, outcomeObserver: JobOutcomeObserver? = nil
    ) {
        self.table = table
        self.writer = writer
        self.control = control
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.outcomeObserver = outcomeObserver
    }

    // MARK: - Enqueue

    /// Stores an event; `completion` runs on the writer thread once the commit is on disk.
    package func enqueue(
        _ item: InboxItem, completion: @escaping @Sendable (Result<EnqueueOutcome, StoreError>) -> Void
    ) {
        writer.submit(.enqueue(table, QueueRow(item), completion))
    }

    /// Stores a change; `completion` runs on the writer thread once the commit is on disk.
    package func enqueue(
        _ item: OutboxItem, completion: @escaping @Sendable (Result<EnqueueOutcome, StoreError>) -> Void
    ) {
        writer.submit(.enqueue(table, QueueRow(item, createdAt: clock.now()), completion))
    }

    /// Stores an event and waits until it is durable.
    package func enqueueAndWait(_ item: InboxItem) throws(StoreError) -> EnqueueOutcome {
        try Self.wait { enqueue(item, completion: $0) }
    }

    /// Stores a change and waits until it is durable.
    package func enqueueAndWait(_ item: OutboxItem) throws(StoreError) -> EnqueueOutcome {
        try Self.wait { enqueue(item, completion: $0) }
    }

    /// Stores several events and waits until each is durable (they share group commits);
    /// one result per item, in order.
    package func enqueueAndWait(_ items: [InboxItem]) -> [Result<EnqueueOutcome, StoreError>] {
        Self.waitAll(items.count) { index, completion in enqueue(items[index], completion: completion) }
    }

    /// Stores several changes and waits until each is durable; one result per item, in order.
    package func enqueueAndWait(_ items: [OutboxItem]) -> [Result<EnqueueOutcome, StoreError>] {
        Self.waitAll(items.count) { index, completion in enqueue(items[index], completion: completion) }
    }

    static func waitAll(
        _ count: Int,
        _ start: (Int, @escaping @Sendable (Result<EnqueueOutcome, StoreError>) -> Void) -> Void
    ) -> [Result<EnqueueOutcome, StoreError>] {
        let results = ResultsBox(count: count)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            start(index) { result in
                results.set(index, result)
                group.leave()
            }
        }
        group.wait()
        return results.all
    }

    static func wait<T: Sendable>(_ start: (@escaping @Sendable (Result<T, StoreError>) -> Void) -> Void)
        throws(StoreError) -> T
    {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        start { result in
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    // MARK: - Claim and outcome

    /// Hands out up to `limit` ready jobs, leased to `workerID` for `lease` seconds.
    /// A job is ready when it is pending or due for retry (or its previous lease expired:
    /// that attempt counts), and no earlier job with the same ordering key is unfinished.
    /// The claim is not flushed to disk on its own (`deferredSync`): a lease matters only
    /// while this process lives, and jobs held at a restart are claimable again anyway.
    package func claim(limit: Int = 1, lease: Double = 60, workerID: String) throws(StoreError) -> [Job] {
        let now = clock.now()
        let t = table.rawValue
        return try control.with { database throws(StoreError) in
            try database.transaction(durability: .deferredSync) { () throws(StoreError) -> [Job] in
                let select = try database.prepare(Self.claimQuery(table: t, dialect: database.dialect))
                try select.bind([.real(now), .integer(Int64(limit))])
                var jobs: [Job] = []
                while try select.step() {
                    let token = "\(workerID)/\(tokenPrefix)-\(tokenCount.add(1, ordering: .relaxed).newValue)"
                    // A lease that ran out ends an attempt that may have done its work
                    // (a booking made, its answer not recorded): it counts, as at a restart.
                    let interrupted = select.int(8) != 0
                    jobs.append(
                        Job(
                            id: select.int64(0), kind: select.text(1) ?? "", payload: select.blob(2),
                            dedupKey: select.text(3) ?? "", orderingKey: select.isNull(4) ? nil : select.text(4),
                            source: select.text(5) ?? "", createdAt: Date(timeIntervalSince1970: select.double(6)),
                            attempts: select.int(7) + (interrupted ? 1 : 0), leaseToken: token))
                }
                let update = try database.prepare(
                    "UPDATE \(t) SET state = 'inflight', lease_token = ?, lease_until = ?, attempts = ? WHERE id = ?")
                for job in jobs {
                    try update.run([
                        .text(job.leaseToken), .real(now + lease), .integer(Int64(job.attempts)), .integer(job.id),
                    ])
                }
                return jobs
            }
        }
    }

    /// The claim's SELECT: up to `?2` claimable jobs at `?1`, in order. SQLite is told to
    /// walk `<table>_unfinished`: without statistics its planner took the (state, priority,
    /// id) index and sorted every pending row (2.5 ms a claim behind 20,000 pending jobs
    /// against 0.014 ms), and a claim that cannot use it fails loudly.
    package static func claimQuery(table t: String, dialect: SQLDialect) -> String {
        """
        SELECT id, kind, payload, dedup_key, ordering_key, source, created_at, attempts,
            j.state = 'inflight' FROM \(t) AS j\(dialect == .sqlite ? " INDEXED BY \(t)_unfinished" : "")
        WHERE \(claimableCondition(table: t, now: "?1", dialect: dialect))
        ORDER BY j.priority, j.id
        LIMIT ?2\(dialect == .postgres ? passOverHeldRows : "")
        """
    }

    /// On PostgreSQL, where other instances claim at once: rows one of them holds are
    /// passed over, not waited for (SQLite's write lock lets one claim run at a time).
    private static let passOverHeldRows = " FOR UPDATE OF j SKIP LOCKED"

    /// Seconds until a job not claimable now may become so, on the queue's clock: the
    /// next `not_before` of a pending or retrying job still to come, or the next lease end
    /// of an in-flight one; nil when there is none. (A job due now that a claim did not
    /// hand out waits behind one of those, of its ordering key.)
    package func secondsUntilNextDue() throws(StoreError) -> Double? {
        let t = table.rawValue
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            let select = try database.prepare(Self.nextDueQuery(table: t, dialect: database.dialect))
            defer { select.reset() }
            try select.bind([.real(now)])
            guard try select.step(), !select.isNull(0) else { return nil }
            return select.double(0) - now
        }
    }

    /// `secondsUntilNextDue`'s SELECT at `?1`. Each part names the unfinished jobs as their
    /// partial index does (`unfinishedStates`), so it reads only those.
    package static func nextDueQuery(table t: String, dialect: SQLDialect) -> String {
        let unfinished = unfinishedStates(dialect)
        return """
            SELECT min(due) FROM (
                SELECT min(not_before) AS due FROM \(t)
                    WHERE state \(unfinished) AND state IN ('pending', 'retry') AND not_before > ?1
                UNION ALL SELECT min(lease_until) FROM \(t) WHERE state \(unfinished) AND state = 'inflight'
            ) AS due_times
            """
    }

    /// How a job claimed in a batch ended, for `finish(_:)`.
    package enum Resolution: Sendable, Equatable {
        case complete
        case retry(error: String, notBefore: Date?)
        case dead(reason: String)
    }

    /// Records the outcomes of several held jobs in one transaction (one commit for a
    /// batch); the same rules as `complete`, `retryLater` and `failPermanently`. One
    /// answer per job: false when its lease had been lost.
    /// `durability`: `.deferredSync` where redoing a job whose outcome a power loss dropped
    /// changes nothing (an inbound event: the calendar records the events it applied).
    @discardableResult
    package func finish(
        _ outcomes: [(job: Job, resolution: Resolution)], durability: CommitDurability = .fullSync
    ) throws(StoreError) -> [Bool] {
        let now = clock.now()
        let t = table.rawValue
        let recorded = try control.with { database throws(StoreError) -> [(Bool, JobOutcome)] in
            try database.transaction(durability: durability) { () throws(StoreError) -> [(Bool, JobOutcome)] in
                var answers: [(Bool, JobOutcome)] = []
                answers.reserveCapacity(outcomes.count)
                for (job, resolution) in outcomes {
                    var resolution = resolution
                    var due = 0.0
                    if case .retry(let error, let notBefore) = resolution {
                        switch retryPolicy.afterFailure(
                            attempt: job.attempts + 1, error: error, now: now, notBefore: notBefore)
                        {
                        case .due(let time): due = time
                        case .dead(let reason): resolution = .dead(reason: reason)
                        }
                    }
                    let statement: PreparedStatement
                    let values: [StatementValue]
                    let outcome: JobOutcome
                    switch resolution {
                    case .complete:
                        statement = try database.prepare(
                            """
                            UPDATE \(t) SET state = 'done', finished_at = ?, lease_token = NULL, lease_until = NULL,
                                last_error = NULL WHERE id = ? AND lease_token = ? AND state = 'inflight'
                            """)
                        values = [.real(now)]
                        outcome = .done
                    case .retry(let error, _):
                        statement = try database.prepare(
                            """
                            UPDATE \(t) SET state = 'retry', attempts = ?, not_before = ?, last_error = ?,
                                lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ? AND state = 'inflight'
                            """)
                        values = [.integer(Int64(job.attempts + 1)), .real(due), .text(error)]
                        outcome = .retry
                    case .dead(let reason):
                        statement = try database.prepare(
                            """
                            UPDATE \(t) SET state = 'dead', attempts = ?, finished_at = ?, last_error = ?,
                                lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ? AND state = 'inflight'
                            """)
                        values = [.integer(Int64(job.attempts + 1)), .real(now), .text(reason)]
                        outcome = .dead
                    }
                    try statement.run(values + [.integer(job.id), .text(job.leaseToken)])
                    answers.append((database.changes == 1, outcome))
                }
                return answers
            }
        }
        return recorded.map { record($0.1, $0.0) }
    }

    /// Extends a held lease (a long call in progress). False when the lease was lost.
    @discardableResult
    package func extendLease(_ job: Job, by lease: Double) throws(StoreError) -> Bool {
        try updateHeld(job, "lease_until = ?", [.real(clock.now() + lease)])
    }

    /// The job is done. False when the lease had been lost (another worker owns it now).
    @discardableResult
    package func complete(_ job: Job) throws(StoreError) -> Bool {
        try record(
            .done,
            updateHeld(
                job, "state = 'done', finished_at = ?, lease_token = NULL, lease_until = NULL, last_error = NULL",
                [.real(clock.now())]))
    }

    /// The attempt failed but may succeed later: retry after exponential backoff with
    /// jitter, or not before `notBefore` (e.g. `Retry-After`) when that is later. After
    /// `retryPolicy.maxAttempts` attempts the job becomes a dead letter.
    @discardableResult
    package func retryLater(_ job: Job, error: String, notBefore: Date? = nil) throws(StoreError) -> Bool {
        let attempts = job.attempts + 1
        let due: Double
        switch retryPolicy.afterFailure(attempt: attempts, error: error, now: clock.now(), notBefore: notBefore) {
        case .due(let time): due = time
        case .dead(let reason): return try failPermanently(job, reason: reason)
        }
        return try record(
            .retry,
            updateHeld(
                job,
                "state = 'retry', attempts = ?, not_before = ?, last_error = ?, lease_token = NULL, lease_until = NULL",
                [.integer(Int64(attempts)), .real(due), .text(error)]))
    }

    /// The job did what it could for now and has more to do from `until` on: it is due
    /// again then, as a new attempt would be, without counting as a failed one (a slot
    /// feed continuing after a batch of days, or waiting out Docplanner's 3-minute window).
    @discardableResult
    package func postpone(_ job: Job, until: Date) throws(StoreError) -> Bool {
        try updateHeld(
            job, "state = 'pending', not_before = ?, lease_token = NULL, lease_until = NULL",
            [.real(max(until.timeIntervalSince1970, clock.now()))])
    }

    /// The job can never succeed: keep it as a dead letter with `reason`.
    @discardableResult
    package func failPermanently(_ job: Job, reason: String) throws(StoreError) -> Bool {
        try record(
            .dead,
            updateHeld(
                job,
                "state = 'dead', attempts = ?, finished_at = ?, last_error = ?, lease_token = NULL, lease_until = NULL",
                [.integer(Int64(job.attempts + 1)), .real(clock.now()), .text(reason)]))
    }

    /// Tells the observer of an outcome that was recorded (not of one whose lease was lost).
    private func record(_ outcome: JobOutcome, _ recorded: Bool) -> Bool {
        if recorded { outcomeObserver?(table.rawValue, outcome) }
        return recorded
    }

    /// At start, before any worker runs: jobs left in flight by a process that died
    /// (SIGKILL, power loss) are due again at once instead of when their lease would
    /// have expired. The interrupted attempt counts. Only safe while no other process
    /// works on this store (the daemon holds its instance lock). Returns how many.
    @discardableResult
    package func reclaimAbandoned() throws(StoreError) -> Int {
        try control.with { database throws(StoreError) in
            // Due times were set on the previous process's clock; should the wall clock
            // have been stepped back since, none waits longer than a backoff or an hour.
            let unfinished = unfinishedStates(database.dialect)
            try database.prepare(
                """
                UPDATE \(table.rawValue) SET not_before = ?1
                WHERE state \(unfinished) AND state IN ('pending', 'retry') AND not_before > ?1
                """
            ).run([.real(clock.now() + max(retryPolicy.maxDelay, 3600))])
            try database.prepare(
                """
                UPDATE \(table.rawValue) SET state = 'retry', attempts = attempts + 1, not_before = ?,
                    last_error = 'interrupted: the daemon stopped while this job was in flight',
                    lease_token = NULL, lease_until = NULL
                WHERE state \(unfinished) AND state = 'inflight'
                """
            ).run([.real(clock.now())])
            return database.changes
        }
    }

    private func updateHeld(_ job: Job, _ assignments: String, _ values: [StatementValue]) throws(StoreError) -> Bool {
        try control.with { database throws(StoreError) in
            let update = try database.prepare(
                "UPDATE \(table.rawValue) SET \(assignments) WHERE id = ? AND lease_token = ? AND state = 'inflight'")
            try update.run(values + [.integer(job.id), .text(job.leaseToken)])
            return database.changes == 1
        }
    }

    // MARK: - Dead letters

    /// Dead letters, oldest first.
    package func deadLetters(limit: Int = 1000) throws(StoreError) -> [DeadLetter] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT id, kind, dedup_key, attempts, COALESCE(last_error, ''), created_at, COALESCE(finished_at, 0), payload
                FROM \(table.rawValue) WHERE state = 'dead' ORDER BY id LIMIT ?
                """)
            try select.bind([.integer(Int64(limit))])
            var letters: [DeadLetter] = []
            while try select.step() {
                letters.append(
                    DeadLetter(
                        id: select.int64(0), kind: select.text(1) ?? "", dedupKey: select.text(2) ?? "",
                        attempts: select.int(3), reason: select.text(4) ?? "",
                        createdAt: Date(timeIntervalSince1970: select.double(5)),
                        failedAt: Date(timeIntervalSince1970: select.double(6)),
                        payload: String(decoding: select.blob(7), as: UTF8.self)))
            }
            return letters
        }
    }

    /// Puts a dead letter back in the queue with a fresh attempt count. Throws
    /// `.noSuchJob` for an unknown id, `.jobInState` for a job that is not dead.
    package func replay(deadLetter id: Int64) throws(StoreError) {
        try control.with { database throws(StoreError) in
            let update = try database.prepare(
                """
                UPDATE \(table.rawValue) SET state = 'pending', attempts = 0, not_before = 0, finished_at = NULL
                WHERE id = ? AND state = 'dead'
                """)
            try update.run([.integer(id)])
            if database.changes != 1 { throw stateError(database, id) }
        }
    }

    /// Deletes one dead letter, or all of them when `id` is nil. Returns how many.
    @discardableResult
    package func purgeDeadLetters(id: Int64? = nil) throws(StoreError) -> Int {
        try control.with { database throws(StoreError) in
            if let id {
                try database.prepare("DELETE FROM \(table.rawValue) WHERE state = 'dead' AND id = ?").run([.integer(id)]
                )
            } else {
                try database.prepare("DELETE FROM \(table.rawValue) WHERE state = 'dead'").run()
            }
            return database.changes
        }
    }

    /// Deletes finished jobs older than `age` seconds; their dedup keys are forgotten.
    /// Docplanner re-sends within 15 minutes and keeps undelivered events 14 days, so
    /// keep at least that long.
    @discardableResult
    package func purgeCompleted(olderThan age: Double) throws(StoreError) -> Int {
        try control.with { database throws(StoreError) in
            try database.prepare("DELETE FROM \(table.rawValue) WHERE state = 'done' AND finished_at < ?")
                .run([.real(clock.now() - age)])
            return database.changes
        }
    }

    func counts(_ database: Connection, now: Double) throws(StoreError) -> StoreCounts.Queue {
        var queue = StoreCounts.Queue()
        let select = try database.prepare(
            """
            SELECT CASE WHEN state = 'inflight' AND lease_until <= ?1 THEN 'retry' ELSE state END AS s,
                   COUNT(*), MIN(created_at)
            FROM \(table.rawValue) GROUP BY s
            """)
        try select.bind([.real(now)])
        var oldest = Double.infinity
        while try select.step() {
            let count = select.int(1)
            switch select.text(0) ?? "" {
            case "pending":
                queue.pending += count
                oldest = min(oldest, select.double(2))
            case "retry":
                queue.retrying += count
                oldest = min(oldest, select.double(2))
            case "inflight": queue.inFlight = count
            case "dead": queue.dead = count
            case "done": queue.done = count
            default: break
            }
        }
        queue.oldestPendingAgeSeconds = oldest.isFinite ? max(0, now - oldest) : 0
        return queue
    }
}

/// Carries a result from the writer thread to a waiting caller.
/// One result per enqueued item, filled in from the writer thread.
final class ResultsBox: @unchecked Sendable {
    // @unchecked: every write happens under `lock`; `all` is read after the group wait.
    private let lock = NSLock()
    private var results: [Result<EnqueueOutcome, StoreError>]

    init(count: Int) { results = Array(repeating: .failure(.closed), count: count) }

    func set(_ index: Int, _ result: Result<EnqueueOutcome, StoreError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var all: [Result<EnqueueOutcome, StoreError>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: written once before the semaphore is signalled, read after the wait.
    private var result: Result<T, StoreError>?
    func set(_ value: Result<T, StoreError>) { result = value }
    func get() throws(StoreError) -> T { try result!.get() }
}
