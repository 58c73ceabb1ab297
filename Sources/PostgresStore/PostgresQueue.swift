import Foundation
import Postgres
import Store

/// The inbox or the outbox of a store on PostgreSQL, shared by every dpbridge instance
/// that connects to it (issue 18): the same rules as the SQLite `JobQueue` — one job per
/// dedup key, claims with a lease and in order per ordering key, retries with backoff,
/// dead letters — where several instances claim at once (`FOR UPDATE SKIP LOCKED`: a row
/// one holds, the others pass over). A batch of enqueues is one transaction: the group
/// commit of acknowledgements. One connection, used under a lock.
package final class PostgresQueue: @unchecked Sendable {
    // @unchecked: `connection` is used only under `lock`; the rest never changes.
    package let name: QueueName
    private let connection: PostgresConnection
    private let lock = NSLock()
    private let clock: any StoreClock
    package let retryPolicy: RetryPolicy

    /// Migrates the schema if needed (`PostgresSchema`) over `connection`, which this
    /// queue then owns.
    package init(
        _ name: QueueName, connection: PostgresConnection, clock: any StoreClock = SystemClock(),
        retryPolicy: RetryPolicy = RetryPolicy()
    ) throws(StoreError) {
        self.name = name
        self.connection = connection
        self.clock = clock
        self.retryPolicy = retryPolicy
        try PostgresSchema.migrate(connection)
    }

    private var table: String { name.rawValue }

    private func locked<T>(_ body: () throws(PostgresError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do { return try body() } catch { throw StoreError(error) }
    }

    // MARK: - Enqueue

    /// Stores events in one transaction; one outcome per item, in order.
    package func enqueue(_ items: [InboxItem]) throws(StoreError) -> [EnqueueOutcome] {
        try insert(items.map(QueueRow.init))
    }

    /// Stores changes in one transaction; one outcome per item, in order. A change with a
    /// coalescing key replaces the pending, never tried changes with that key.
    package func enqueue(_ items: [OutboxItem]) throws(StoreError) -> [EnqueueOutcome] {
        let now = clock.now()
        return try insert(items.map { QueueRow($0, createdAt: now) })
    }

    private func insert(_ rows: [QueueRow]) throws(StoreError) -> [EnqueueOutcome] {
        try locked { () throws(PostgresError) in
            try connection.transaction { () throws(PostgresError) in
                try rows.map { row throws(PostgresError) in
                    var replaced = 0
                    if let coalesceKey = row.coalesceKey {
                        replaced =
                            try connection.execute(
                                """
                                DELETE FROM \(table) WHERE coalesce_key = $1 AND state = 'pending' AND attempts = 0
                                    AND dedup_key <> $2
                                """, [.text(coalesceKey), .text(row.dedupKey)]
                            ).affected
                    }
                    let inserted = try connection.execute(
                        """
                        INSERT INTO \(table) (dedup_key, kind, ordering_key, coalesce_key, priority, payload, source,
                            created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING RETURNING id
                        """,
                        [
                            .text(row.dedupKey), .text(row.kind), row.orderingKey.map { .text($0) } ?? .null,
                            row.coalesceKey.map { .text($0) } ?? .null, .integer(Int64(row.priority)),
                            .bytes(row.payload), .text(row.source), .real(row.createdAt),
                        ])
                    if let id = inserted.count == 1 ? inserted.integer(0, "id") : nil {
                        return EnqueueOutcome(id: id, isDuplicate: false, replaced: replaced)
                    }
                    let existing = try connection.execute(
                        "SELECT id FROM \(table) WHERE dedup_key = $1", [.text(row.dedupKey)])
                    return EnqueueOutcome(id: existing.integer(0, "id") ?? 0, isDuplicate: true, replaced: 0)
                }
            }
        }
    }

    // MARK: - Claim and outcome

    /// Hands out up to `limit` ready jobs, leased to `workerID` for `lease` seconds: as
    /// `JobQueue.claim`, and rows another instance holds are passed over, not waited for.
    package func claim(limit: Int = 1, lease: Double = 60, workerID: String) throws(StoreError) -> [Job] {
        let now = clock.now()
        let rows = try locked { () throws(PostgresError) in
            try connection.execute(
                """
                WITH ready AS (
                    SELECT j.id FROM \(table) AS j
                    WHERE \(claimableCondition(table: table, now: "$1"))
                    ORDER BY j.priority, j.id
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED)
                UPDATE \(table) AS t SET state = 'inflight', lease_token = $3 || '/' || t.id || '/' || $4,
                    lease_until = $1 + $5,
                    -- A lease that ran out ends an attempt that may have done its work: it counts.
                    attempts = t.attempts + CASE WHEN t.state = 'inflight' THEN 1 ELSE 0 END
                FROM ready WHERE t.id = ready.id
                RETURNING t.id, t.kind, t.payload, t.dedup_key, t.ordering_key, t.source, t.created_at,
                    t.attempts, t.lease_token, t.priority
                """,
                [
                    .real(now), .integer(Int64(limit)), .text(workerID), .text(UUID().uuidString), .real(lease),
                ])
        }
        return (0..<rows.count).sorted {
            (rows.integer($0, "priority") ?? 0, rows.integer($0, "id") ?? 0)
                < (rows.integer($1, "priority") ?? 0, rows.integer($1, "id") ?? 0)
        }.map { index in
            Job(
                id: rows.integer(index, "id") ?? 0, kind: rows.text(index, "kind") ?? "",
                payload: rows.bytes(index, "payload") ?? [], dedupKey: rows.text(index, "dedup_key") ?? "",
                orderingKey: rows.text(index, "ordering_key"), source: rows.text(index, "source") ?? "",
                createdAt: Date(timeIntervalSince1970: Double(rows.text(index, "created_at") ?? "") ?? 0),
                attempts: Int(rows.integer(index, "attempts") ?? 0), leaseToken: rows.text(index, "lease_token") ?? "")
        }
    }

    /// Records the outcomes of held jobs in one transaction, as `JobQueue.finish`: one
    /// answer per job, false when its lease had been lost.
    @discardableResult
    package func finish(_ outcomes: [(job: Job, resolution: JobQueue.Resolution)]) throws(StoreError) -> [Bool] {
        let now = clock.now()
        return try locked { () throws(PostgresError) in
            try connection.transaction { () throws(PostgresError) in
                try outcomes.map { job, resolution throws(PostgresError) in
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
                    let held = "id = $1 AND lease_token = $2 AND state = 'inflight'"
                    let key: [PostgresValue] = [.integer(job.id), .text(job.leaseToken)]
                    let changed: Int
                    switch resolution {
                    case .complete:
                        changed =
                            try connection.execute(
                                """
                                UPDATE \(table) SET state = 'done', finished_at = $3, lease_token = NULL,
                                    lease_until = NULL, last_error = NULL WHERE \(held)
                                """, key + [.real(now)]
                            ).affected
                    case .retry(let error, _):
                        changed =
                            try connection.execute(
                                """
                                UPDATE \(table) SET state = 'retry', attempts = $3, not_before = $4, last_error = $5,
                                    lease_token = NULL, lease_until = NULL WHERE \(held)
                                """, key + [.integer(Int64(job.attempts + 1)), .real(due), .text(error)]
                            ).affected
                    case .dead(let reason):
                        changed =
                            try connection.execute(
                                """
                                UPDATE \(table) SET state = 'dead', attempts = $3, finished_at = $4, last_error = $5,
                                    lease_token = NULL, lease_until = NULL WHERE \(held)
                                """, key + [.integer(Int64(job.attempts + 1)), .real(now), .text(reason)]
                            ).affected
                    }
                    return changed == 1
                }
            }
        }
    }

    // MARK: - Inspection

    /// How many jobs are in each state, and the age of the oldest waiting one.
    package func counts() throws(StoreError) -> StoreCounts.Queue {
        let now = clock.now()
        let rows = try locked { () throws(PostgresError) in
            try connection.execute(
                """
                SELECT state, count(*) AS n, min(created_at) AS oldest FROM \(table) GROUP BY state
                """)
        }
        var counts = StoreCounts.Queue()
        var oldest: Double?
        for index in 0..<rows.count {
            let count = Int(rows.integer(index, "n") ?? 0)
            switch rows.text(index, "state") {
            case "pending": counts.pending = count
            case "inflight": counts.inFlight = count
            case "retry": counts.retrying = count
            case "dead": counts.dead = count
            case "done": counts.done = count
            default: break
            }
            if ["pending", "retry"].contains(rows.text(index, "state")),
                let time = rows.text(index, "oldest").flatMap(Double.init)
            {
                oldest = min(oldest ?? time, time)
            }
        }
        counts.oldestPendingAgeSeconds = oldest.map { max(0, now - $0) } ?? 0
        return counts
    }

    /// A dead letter back to pending, its attempts reset (`dpbridge queue replay`).
    package func replay(deadLetter id: Int64) throws(StoreError) {
        let state = try locked { () throws(PostgresError) -> String?? in
            let updated = try connection.execute(
                """
                UPDATE \(table) SET state = 'pending', attempts = 0, not_before = 0, finished_at = NULL
                WHERE id = $1 AND state = 'dead'
                """, [.integer(id)])
            if updated.affected == 1 { return .none }
            return .some(
                try connection.execute("SELECT state FROM \(table) WHERE id = $1", [.integer(id)]).text(0, "state"))
        }
        switch state {
        case .none: return
        case .some(.none): throw .noSuchJob(id)
        case .some(.some(let text)): throw .jobInState(id: id, state: Self.state(text))
        }
    }

    /// The job state a row's `state` column names.
    private static func state(_ text: String) -> JobState {
        switch text {
        case "retry": .retrying
        case "inflight": .inFlight
        case "dead": .dead
        case "done": .done
        default: .pending
        }
    }
}
