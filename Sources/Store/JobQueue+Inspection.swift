import Foundation
import SQLite

/// What operators do with a queue (`dpbridge queue …`, `dpbridge deadletters …`): list
/// and show jobs, make one due now, replay dead letters, delete jobs nobody works on.
/// Every change checks the job's state in the same statement, so a job a worker claims
/// meanwhile is refused rather than changed under it.
extension JobQueue {
    /// Which queue this is.
    package var name: QueueName { table == .inbox ? .inbox : .outbox }

    private static let columns = """
        id, kind, \(JobState.sqlExpression), dedup_key, ordering_key, coalesce_key, priority, source, payload,
        attempts, last_error, created_at, not_before, lease_until, finished_at
        """

    /// Jobs in `states`, oldest first, at most `limit`.
    package func jobs(in states: Set<JobState>, limit: Int) throws(StoreError) -> [JobRecord] {
        guard !states.isEmpty, limit > 0 else { return [] }
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT \(Self.columns) FROM \(table.rawValue)
                WHERE \(JobState.sqlExpression) IN (\(Self.list(states))) ORDER BY id LIMIT ?2
                """)
            try select.bind([.real(now), .integer(Int64(limit))])
            defer { select.reset() }
            var records: [JobRecord] = []
            while try select.step() { records.append(Self.record(select)) }
            return records
        }
    }

    /// The dead letters that failed last, newest first, at most `limit`.
    package func latestDeadLetters(limit: Int) throws(StoreError) -> [JobRecord] {
        guard limit > 0 else { return [] }
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT \(Self.columns) FROM \(table.rawValue)
                WHERE state = 'dead' ORDER BY finished_at DESC, id DESC LIMIT ?2
                """)
            try select.bind([.real(now), .integer(Int64(limit))])
            defer { select.reset() }
            var records: [JobRecord] = []
            while try select.step() { records.append(Self.record(select)) }
            return records
        }
    }

    /// How many jobs are in `states`.
    package func count(in states: Set<JobState>) throws(StoreError) -> Int {
        guard !states.isEmpty else { return 0 }
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            Int(
                try database.scalar(
                    "SELECT COUNT(*) FROM \(table.rawValue) WHERE \(JobState.sqlExpression) IN (\(Self.list(states)))",
                    .real(now)))
        }
    }

    /// The job `id`, or nil when there is none.
    package func job(id: Int64) throws(StoreError) -> JobRecord? {
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            let select = try database.prepare("SELECT \(Self.columns) FROM \(table.rawValue) WHERE id = ?2")
            try select.bind([.real(now), .integer(id)])
            defer { select.reset() }
            return try select.step() ? Self.record(select) : nil
        }
    }

    /// Makes job `id` due now: a retrying job is claimed at the next chance (its attempts
    /// count stays), a dead letter goes back to pending with a fresh attempt count, a
    /// pending job is left as it is (already due). Returns the state it was in. Throws
    /// `.noSuchJob`, or `.jobInState` for a job in flight or done.
    @discardableResult
    package func retryNow(id: Int64) throws(StoreError) -> JobState {
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) -> JobState in
                let state = try currentState(database, id, now: now)
                switch state {
                case .pending:
                    break
                case .retrying:
                    try database.prepare(
                        "UPDATE \(table.rawValue) SET not_before = ? WHERE id = ? AND state = 'retry' AND not_before > ?"
                    ).run([.real(now), .integer(id), .real(now)])
                case .dead:
                    try database.prepare(
                        """
                        UPDATE \(table.rawValue) SET state = 'pending', attempts = 0, not_before = 0, finished_at = NULL
                        WHERE id = ?
                        """
                    ).run([.integer(id)])
                case .inFlight, .done:
                    throw .jobInState(id: id, state: state)
                }
                return state
            }
        }
    }

    /// Puts every dead letter back in the queue with a fresh attempt count; their ids, oldest first.
    @discardableResult
    package func replayAllDeadLetters() throws(StoreError) -> [Int64] {
        try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) -> [Int64] in
                let ids = try Self.ids(database, "SELECT id FROM \(table.rawValue) WHERE state = 'dead' ORDER BY id")
                try database.prepare(
                    """
                    UPDATE \(table.rawValue) SET state = 'pending', attempts = 0, not_before = 0, finished_at = NULL
                    WHERE state = 'dead'
                    """
                ).run()
                return ids
            }
        }
    }

    /// Deletes the jobs `ids`, all or none: each must exist and be in one of `states`
    /// (which may hold only `JobState.purgeable` ones), or nothing is deleted and the
    /// first offender is thrown (`.noSuchJob`, `.jobInState`).
    package func purge(ids: [Int64], allowing states: Set<JobState>) throws(StoreError) {
        let allowed = states.intersection(JobState.purgeable)
        let now = clock.now()
        try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                for id in ids {
                    let state = try currentState(database, id, now: now)
                    guard allowed.contains(state) else { throw .jobInState(id: id, state: state) }
                }
                let delete = try database.prepare("DELETE FROM \(table.rawValue) WHERE id = ?")
                for id in ids { try delete.run([.integer(id)]) }
            }
        }
    }

    /// Deletes every job in `states` (only `JobState.purgeable` ones are taken); the ids
    /// deleted, oldest first.
    @discardableResult
    package func purgeAll(in states: Set<JobState>) throws(StoreError) -> [Int64] {
        let allowed = states.intersection(JobState.purgeable)
        guard !allowed.isEmpty else { return [] }
        let now = clock.now()
        let filter = "\(JobState.sqlExpression) IN (\(Self.list(allowed)))"
        return try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) -> [Int64] in
                let ids = try Self.ids(
                    database, "SELECT id FROM \(table.rawValue) WHERE \(filter) ORDER BY id", [.real(now)])
                try database.prepare("DELETE FROM \(table.rawValue) WHERE \(filter)").run([.real(now)])
                return ids
            }
        }
    }

    // MARK: - Helpers

    /// The operator state of job `id`; throws `.noSuchJob` when there is none.
    private func currentState(_ database: Connection, _ id: Int64, now: Double) throws(StoreError) -> JobState {
        let select = try database.prepare("SELECT \(JobState.sqlExpression) FROM \(table.rawValue) WHERE id = ?2")
        try select.bind([.real(now), .integer(id)])
        defer { select.reset() }
        guard try select.step(), let state = select.text(0).flatMap(JobState.init(rawValue:)) else {
            throw .noSuchJob(id)
        }
        return state
    }

    /// Why job `id` was not changed: it does not exist, or its state.
    func stateError(_ database: Connection, _ id: Int64) -> StoreError {
        do {
            return .jobInState(id: id, state: try currentState(database, id, now: clock.now()))
        } catch {
            return error
        }
    }

    private static func ids(_ database: Connection, _ sql: String, _ values: [StatementValue] = []) throws(StoreError)
        -> [Int64]
    {
        let select = try database.prepare(sql)
        try select.bind(values)
        defer { select.reset() }
        var ids: [Int64] = []
        while try select.step() { ids.append(select.int64(0)) }
        return ids
    }

    /// `'pending', 'dead'` for an `IN (…)`: the values come from `JobState`, never from input.
    private static func list(_ states: Set<JobState>) -> String {
        states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
    }

    private static func record(_ row: PreparedStatement) -> JobRecord {
        func date(_ column: Int32) -> Date? {
            row.isNull(column) ? nil : Date(timeIntervalSince1970: row.double(column))
        }
        let notBefore = row.double(12)
        return JobRecord(
            id: row.int64(0), kind: row.text(1) ?? "", state: JobState(rawValue: row.text(2) ?? "") ?? .pending,
            dedupKey: row.text(3) ?? "", orderingKey: row.text(4), coalesceKey: row.text(5), priority: row.int(6),
            source: row.text(7) ?? "", payload: row.blob(8), attempts: row.int(9), lastError: row.text(10),
            createdAt: Date(timeIntervalSince1970: row.double(11)),
            notBefore: notBefore > 0 ? Date(timeIntervalSince1970: notBefore) : nil,
            leaseUntil: date(13), finishedAt: date(14))
    }
}
