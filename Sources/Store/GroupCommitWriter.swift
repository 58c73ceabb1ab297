import Foundation
import SQLite
import Scheduling
import Synchronization

/// The store's single writer: takes every pending write, commits them in one transaction
/// (`synchronous=FULL`, so the commit is on disk when it returns), and only then
/// completes each caller. Many concurrent enqueues share one fsync. It runs as work on a
/// shared commit pool (`WorkScheduler.commits` by default), never more than one commit of
/// this store at a time: a thousand stores do not need a thousand threads.
final class GroupCommitWriter: @unchecked Sendable {
    // @unchecked: `database` is used by one commit at a time (`work` runs one at once, and
    // `stop` drains only after it stopped); `pending` and `stopping` only under `lock`.
    enum Request {
        case enqueue(QueueTable, QueueRow, @Sendable (Result<EnqueueOutcome, StoreError>) -> Void)
        case quarantine(
            body: [UInt8], reason: String, source: String, receivedAt: Double,
            @Sendable (Result<Int64, StoreError>) -> Void)
        case decision(DecisionRecord, @Sendable (Result<Int64, StoreError>) -> Void)
        case value(key: String, value: String, at: Double, @Sendable (Result<Void, StoreError>) -> Void)

        /// Somebody waits for this write synchronously: a decision, whose answer Docplanner
        /// awaits, is committed without `commitDelay`.
        var isUrgent: Bool {
            if case .decision = self { return true }
            return false
        }
    }

    private let database: Connection
    /// The same connection when it is SQLite's (its last insert's row id is asked directly).
    private let sqlite: Database?
    private let lock = NSLock()
    private var pending: [Request] = []
    private var stopping = false
    private let quarantineLimit: Int
    private let scheduler: WorkScheduler
    private var work: CoalescedWork!
    /// Batches committed and rows written, for tests and benchmarks.
    private(set) var batches = 0
    /// When (`WorkScheduler.now()`) the last commit succeeded and the last one failed.
    private let outcomes = Mutex<(succeeded: Double?, failed: Double?)>((nil, nil))

    /// Most writes committed in one transaction (1 makes every enqueue its own commit:
    /// the baseline the benchmark compares group commit with).
    private let maxBatchSize: Int

    /// Seconds the writes that follow a commit wait for others before theirs (0: none).
    private let commitDelay: Double

    /// Commits closer together than this mean writes keep coming: the next one waits
    /// `commitDelay`. A write to an idle store is committed at once.
    private static let busyWithin = 0.010

    /// `commitDelay`: under a steady flow of writes, how long those that follow a commit
    /// wait for others, so that more share one transaction and one flush to disk.
    init(
        database: Connection, quarantineLimit: Int, maxBatchSize: Int = Int.max, commitDelay: Double = 0,
        scheduler: WorkScheduler = .commits
    ) {
        self.database = database
        sqlite = database.database as? Database
        self.quarantineLimit = quarantineLimit
        self.maxBatchSize = max(1, maxBatchSize)
        self.commitDelay = max(0, commitDelay)
        self.scheduler = scheduler
        work = CoalescedWork(scheduler: scheduler) { [unowned self] in commitPending() }
    }

    func start() {}

    /// Whether a commit succeeded within the last `seconds` and none failed since.
    func committed(within seconds: Double) -> Bool {
        let (succeeded, failed) = outcomes.withLock { $0 }
        guard let succeeded, WorkScheduler.now() - succeeded <= seconds else { return false }
        return failed.map { $0 < succeeded } ?? true
    }

    func submit(_ request: Request) {
        lock.lock()
        if stopping {
            lock.unlock()
            fail(request, .closed)
            return
        }
        pending.append(request)
        let first = pending.count == 1
        lock.unlock()
        // A commit under way asks for the next itself; the first write after it needs one,
        // at once for an idle store, after `commitDelay` while writes keep coming. A
        // decision is committed at once: Docplanner waits for the answer it records.
        if request.isUrgent {
            work.signal()
        } else if first {
            work.signal(after: isBusy ? commitDelay : 0)
        }
    }

    /// Whether the last commit ended within `busyWithin` (only asked when `commitDelay` > 0).
    private var isBusy: Bool {
        guard commitDelay > 0, let last = outcomes.withLock({ $0.succeeded }) else { return false }
        return WorkScheduler.now() - last < Self.busyWithin
    }

    /// Commits what is pending, and no more.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        work.stop()
        while takeBatch().map({ commit($0) }) != nil {}
    }

    /// Commits the writes pending now (in batches of `maxBatchSize`), and those that came
    /// meanwhile, up to `turnBatches` batches on this thread (no hand-over to another
    /// thread between them, which cost a wake-up per batch); then asks for another run,
    /// so that other stores' commits take their turn on the pool.
    private func commitPending() {
        for _ in 0..<Self.turnBatches {
            guard let batch = takeBatch() else { return }
            commit(batch)
            if commitDelay > 0 {
                // Writes that came during the commit wait for more, unless a batch is full.
                lock.lock()
                let waiting = pending.count
                let urgent = pending.contains { $0.isUrgent }
                lock.unlock()
                if waiting == 0 { return }
                if waiting < maxBatchSize && !urgent {
                    work.signal(after: commitDelay)
                    return
                }
            }
        }
        lock.lock()
        let more = !pending.isEmpty
        lock.unlock()
        if more { work.signal() }
    }

    /// Batches one run commits before it yields the thread.
    private static let turnBatches = 16

    private func takeBatch() -> [Request]? {
        lock.lock()
        defer { lock.unlock() }
        guard !pending.isEmpty else { return nil }
        if pending.count <= maxBatchSize {
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        defer { pending.removeFirst(maxBatchSize) }
        return Array(pending.prefix(maxBatchSize))
    }

    private enum Written {
        case enqueued(EnqueueOutcome)
        case quarantined(Int64)
        case recorded(Int64)
        case stored
    }

    private func commit(_ batch: [Request]) {
        var results: [Written] = []
        results.reserveCapacity(batch.count)
        do {
            try database.transaction { () throws(StoreError) in
                for request in batch {
                    switch request {
                    case .enqueue(let table, let row, _):
                        results.append(.enqueued(try insert(row, into: table)))
                    case .quarantine(let body, let reason, let source, let receivedAt, _):
                        results.append(
                            .quarantined(try quarantine(body: body, reason: reason, source: source, at: receivedAt)))
                    case .decision(let record, _):
                        results.append(.recorded(try insert(record)))
                    case .value(let key, let value, let time, _):
                        try database.prepare(
                            """
                            INSERT INTO store_values (key, value, updated_at) VALUES (?, ?, ?)
                            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                            """
                        ).run([.text(key), .text(value), .real(time)])
                        results.append(.stored)
                    }
                }
            }
            batches += 1
            outcomes.withLock { $0.succeeded = WorkScheduler.now() }
        } catch {
            outcomes.withLock { $0.failed = WorkScheduler.now() }
            for request in batch { fail(request, error) }
            return
        }
        // The transaction is committed and on disk: release the callers.
        for (request, result) in zip(batch, results) {
            switch (request, result) {
            case (.enqueue(_, _, let completion), .enqueued(let outcome)):
                completion(.success(outcome))
            case (.quarantine(_, _, _, _, let completion), .quarantined(let id)):
                completion(.success(id))
            case (.decision(_, let completion), .recorded(let id)):
                completion(.success(id))
            case (.value(_, _, _, let completion), .stored):
                completion(.success(()))
            default:
                break
            }
        }
    }

    /// The writer's statements per table, prepared once (hashing their SQL text for the
    /// connection's cache on every row showed up in profiles).
    private struct TableStatements {
        let insert: PreparedStatement
        let existing: PreparedStatement
        let coalesce: PreparedStatement
    }

    private var statements: [QueueTable: TableStatements] = [:]

    private func statements(for table: QueueTable) throws(StoreError) -> TableStatements {
        if let prepared = statements[table] { return prepared }
        let name = table.rawValue
        // On SQLite the new row's id comes from the connection (`lastInsertRowID`):
        // `RETURNING` gathers each row's answer in a temporary table first.
        let returning = sqlite == nil ? " RETURNING id" : ""
        let prepared = TableStatements(
            insert: try database.prepareKept(
                """
                INSERT INTO \(name) (dedup_key, kind, ordering_key, coalesce_key, priority, payload, source, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING\(returning)
                """),
            existing: try database.prepareKept("SELECT id FROM \(name) WHERE dedup_key = ?"),
            coalesce: try database.prepareKept(
                """
                DELETE FROM \(name) WHERE coalesce_key = ? AND state = 'pending' AND attempts = 0 AND dedup_key <> ?
                """))
        statements[table] = prepared
        return prepared
    }

    private func insert(_ row: QueueRow, into table: QueueTable) throws(StoreError) -> EnqueueOutcome {
        let prepared = try statements(for: table)
        var replaced = 0
        if let coalesceKey = row.coalesceKey {
            try prepared.coalesce.run([.text(coalesceKey), .text(row.dedupKey)])
            replaced = database.changes
        }
        // Insert unless the dedup key is known; only a conflict costs a second statement.
        let values: [StatementValue] = [
            .text(row.dedupKey), .text(row.kind), row.orderingKey.map { .text($0) } ?? .null,
            row.coalesceKey.map { .text($0) } ?? .null, .integer(Int64(row.priority)), .blob(row.payload),
            .text(row.source), .real(row.createdAt),
        ]
        if let sqlite {
            try prepared.insert.run(values)
            if sqlite.changes > 0 {
                return EnqueueOutcome(id: sqlite.lastInsertRowID, isDuplicate: false, replaced: replaced)
            }
        } else if let inserted = try database.insertReturningID(prepared.insert, values) {
            return EnqueueOutcome(id: inserted, isDuplicate: false, replaced: replaced)
        }
        let existing = prepared.existing
        existing.reset()
        try existing.bind([.text(row.dedupKey)])
        defer { existing.reset() }
        let id = try existing.step() ? existing.int64(0) : 0
        return EnqueueOutcome(id: id, isDuplicate: true, replaced: 0)
    }

    private func quarantine(body: [UInt8], reason: String, source: String, at time: Double) throws(StoreError) -> Int64
    {
        let insert = try database.prepare(
            "INSERT INTO quarantine (received_at, source, reason, body) VALUES (?, ?, ?, ?) RETURNING id")
        let id = try database.insertReturningID(insert, [.real(time), .text(source), .text(reason), .blob(body)]) ?? 0
        // Bounded: keep the newest `quarantineLimit` bodies.
        let trim = try database.prepare("DELETE FROM quarantine WHERE id <= ?")
        try trim.run([.integer(id - Int64(quarantineLimit))])
        return id
    }

    private func insert(_ record: DecisionRecord) throws(StoreError) -> Int64 {
        func text(_ value: String?) -> StatementValue { value.map { .text($0) } ?? .null }
        let insert = try database.prepare(
            """
            INSERT INTO decisions (decided_at, event_name, event_key, doctor_id, address_id, start_at, approved,
                error_code, reason, elapsed_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """)
        return try database.insertReturningID(
            insert,
            [
                .real(record.decidedAt.timeIntervalSince1970), .text(record.eventName), .text(record.eventKey),
                text(record.doctorID), text(record.addressID), text(record.startAt), .integer(record.approved ? 1 : 0),
                text(record.errorCode), .text(record.reason), .real(record.elapsedMilliseconds),
            ]) ?? 0
    }

    private func fail(_ request: Request, _ error: StoreError) {
        switch request {
        case .enqueue(_, _, let completion): completion(.failure(error))
        case .quarantine(_, _, _, _, let completion): completion(.failure(error))
        case .decision(_, let completion): completion(.failure(error))
        case .value(_, _, _, let completion): completion(.failure(error))
        }
    }
}

/// The two queue tables.
enum QueueTable: String, Sendable {
    case inbox, outbox
}
