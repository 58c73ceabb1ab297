/// Keeping patients' data no longer than needed: finished jobs, decisions and
/// quarantined bodies are deleted once older than the retention, their bytes overwritten
/// (`secure_delete`), and the write-ahead log emptied so no copy is left there.
extension Store {
    /// Rows deleted per transaction: the group-commit writer (callbacks waiting for their
    /// commit) never waits long behind a retention run, however much there is to delete.
    static let retentionBatch = 500

    /// Deletes done jobs and decisions older than `policy.finished` and quarantined
    /// bodies older than `policy.quarantine` (by the store's clock), in short
    /// transactions, then gives the space back (`reclaimSpace`). Dead letters are kept;
    /// the report counts those past the retention.
    @discardableResult
    package func applyRetention(_ policy: RetentionPolicy) throws(StoreError) -> RetentionReport {
        let now = clock.now()
        let finishedBefore = now - policy.finished
        var report = RetentionReport()
        report.inboxDone = try deleteInBatches(
            from: "inbox", where: "state = 'done' AND finished_at < ?", finishedBefore)
        report.outboxDone = try deleteInBatches(
            from: "outbox", where: "state = 'done' AND finished_at < ?", finishedBefore)
        report.decisions = try deleteInBatches(from: "decisions", where: "decided_at < ?", finishedBefore)
        report.quarantined = try deleteInBatches(
            from: "quarantine", where: "received_at < ?", now - policy.quarantine)
        report.deadLettersKept = try control.with { database throws(StoreError) in
            var kept = 0
            for table in ["inbox", "outbox"] {
                kept += Int(
                    try database.scalar(
                        "SELECT count(*) FROM \(table) WHERE state = 'dead' AND finished_at < ?", .real(finishedBefore))
                )
            }
            return kept
        }
        if report.deleted > 0 { try reclaimSpace() }
        return report
    }

    /// Deletes the rows of `table` matching `condition` (one `?`, bound to `value`), at
    /// most `retentionBatch` per transaction. Returns how many.
    private func deleteInBatches(from table: String, where condition: String, _ value: Double) throws(StoreError) -> Int
    {
        var total = 0
        while true {
            let deleted = try control.with { database throws(StoreError) -> Int in
                try database.prepare(
                    "DELETE FROM \(table) WHERE id IN (SELECT id FROM \(table) WHERE \(condition) LIMIT ?)"
                ).run([.real(value), .integer(Int64(Self.retentionBatch))])
                return database.changes
            }
            total += deleted
            if deleted < Self.retentionBatch { return total }
        }
    }

    /// After deletions: frees the pages they emptied (new stores, `auto_vacuum`
    /// incremental) and copies the write-ahead log into the database file, then truncates
    /// the log, so the deleted bytes (overwritten in the pages) have no older copy left in
    /// it. Both go in steps (a passive checkpoint first), so the group-commit writer waits
    /// for one step at most. A checkpoint that readers keep from finishing is completed by
    /// a later run.
    /// On PostgreSQL there is nothing to do here: the server's autovacuum reclaims the rows
    /// (see docs/operating.md on deleted rows in its files).
    func reclaimSpace() throws(StoreError) {
        guard dialect == .sqlite else { return }
        let incremental = try control.with { database throws(StoreError) in
            try database.scalar("PRAGMA auto_vacuum") == 2
        }
        var free = Int64.max
        while incremental {
            let left = try control.with { database throws(StoreError) -> Int64 in
                try database.execute("PRAGMA incremental_vacuum(\(Self.retentionBatch))")
                return try database.scalar("PRAGMA freelist_count")
            }
            guard left > 0, left < free else { break }
            free = left
        }
        try control.with { database throws(StoreError) in
            try database.execute("PRAGMA wal_checkpoint(PASSIVE)")
            try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
