import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

/// Store migration 7 rebuilds the queue tables so that no write evaluates a list of three
/// or more states (SQLite builds a temporary table for such a list on every run of a
/// statement): every row and id is kept, the CHECK still refuses an unknown state, and a
/// claim still walks the partial index of unfinished jobs.
@Suite struct QueueRebuildMigrationTests {
    static let everyColumn = """
        SELECT id, dedup_key, kind, ordering_key, coalesce_key, priority, hex(payload), source, created_at, state,
            attempts, not_before, lease_token, lease_until, last_error, finished_at FROM inbox ORDER BY id
        """

    @Test func theRebuildKeepsEveryRowAndWritesBuildNoTemporaryTable() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-migration-7")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        var before: [[String]] = []
        do {
            let database = try Database(path: path)
            try Migrator(migrations: Array(StoreSchema.migrator.migrations.prefix(6))).migrate(database)
            try database.execute(
                """
                INSERT INTO inbox (id, dedup_key, kind, ordering_key, payload, created_at, state, attempts, last_error,
                    finished_at, lease_token, lease_until)
                VALUES (3, 'a', 'slot-booked', 'booking:1', x'7b7d', 10, 'done', 1, NULL, 11, NULL, NULL),
                       (7, 'b', 'booking-canceled', 'booking:1', x'7b2278223a317d', 12, 'pending', 0, NULL, NULL, NULL, NULL),
                       (9, 'c', 'break-created', NULL, x'00ff', 13, 'dead', 12, 'gave up', 14, NULL, NULL),
                       (10, 'd', 'slot-booked', 'booking:2', x'01', 15, 'inflight', 2, 'timeout', NULL, 'w/1', 1e12);
                INSERT INTO outbox (id, dedup_key, kind, coalesce_key, priority, payload, created_at, state)
                VALUES (5, 'o', 'replace-slots', 'slots:1', 2, x'02', 16, 'retry');
                """)
            before = try database.textRows(Self.everyColumn, columns: 16)
        }
        let store = try Store(path: path)
        defer { store.close() }
        let database = try Database(path: path)
        #expect(try database.scalar("PRAGMA user_version") == Int64(Store.schemaVersion))
        #expect(try database.textRows(Self.everyColumn, columns: 16) == before)
        #expect(
            try database.scalar("SELECT count(*) FROM outbox WHERE id = 5 AND state = 'retry' AND priority = 2") == 1)
        // Inserts and updates of either queue evaluate no list through a temporary table.
        for table in ["inbox", "outbox"] {
            for statement in [
                "INSERT INTO \(table) (dedup_key, kind, payload, created_at) VALUES ('x', 'k', x'00', 1)",
                "UPDATE \(table) SET state = 'done', lease_token = NULL WHERE id = 7",
            ] {
                let program = try database.textRows("EXPLAIN \(statement)", columns: 2).map { $0[1] }
                #expect(!program.contains("OpenEphemeral"), "\(statement)")
            }
        }
        #expect(throws: SQLiteError.self) { try database.execute("UPDATE inbox SET state = 'lost' WHERE id = 7") }
        // The claim walks the unfinished index without a sort, and takes the pending job
        // (the in-flight one is held, the done and dead ones are finished).
        let plan = try database.textRows(
            "EXPLAIN QUERY PLAN \(JobQueue.claimQuery(table: "inbox", dialect: .sqlite))", columns: 4
        ).map { $0[3] }.joined(separator: "\n")
        #expect(plan.contains("inbox_unfinished") && !plan.contains("TEMP B-TREE"), "\(plan)")
        let claimed = try store.inbox.claim(limit: 10, workerID: "test")
        #expect(claimed.map(\.id) == [7])
    }

    /// Migration 8 drops the index of every job by state: each reader of the queues reads an
    /// index that holds only what it asks for (unfinished jobs, or finished ones), never the
    /// whole table.
    @Test func readersOfTheQueuesUseThePartialIndexes() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-migration-8")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        let store = try Store(path: path)
        defer { store.close() }
        let database = try Database(path: path)
        for table in ["inbox", "outbox"] {
            let indexes = try database.textRows(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '\(table)'", columns: 1
            ).map { $0[0] }
            #expect(!indexes.contains("\(table)_ready") && indexes.contains("\(table)_finished"), "\(indexes)")
            let readers: [(String, String)] = [
                (JobQueue.nextDueQuery(table: table, dialect: .sqlite), "\(table)_unfinished"),
                (JobQueue.claimQuery(table: table, dialect: .sqlite), "\(table)_unfinished"),
                ("SELECT id FROM \(table) WHERE state = 'done' AND finished_at < 1", "\(table)_finished"),
                (
                    "SELECT id FROM \(table) WHERE state = 'dead' ORDER BY finished_at DESC, id DESC LIMIT 5",
                    "\(table)_finished"
                ),
                ("SELECT count(*) FROM \(table) WHERE state = 'dead' AND finished_at < 1", "\(table)_finished"),
            ]
            for (sql, index) in readers {
                let plan = try database.textRows("EXPLAIN QUERY PLAN \(sql)", columns: 4).map { $0[3] }
                #expect(plan.contains { $0.contains(index) }, "\(sql): \(plan)")
                #expect(
                    !plan.contains("SCAN \(table)") && !plan.contains("SCAN j"), "a whole-table read: \(sql): \(plan)")
            }
        }
        // The jobs still move as before: enqueued, claimed, finished, counted.
        _ = try store.inbox.enqueueAndWait(
            InboxItem(body: Array("{}".utf8), dedupKey: "k1", eventName: "slot-booked", orderingKey: "booking:1"))
        #expect(try store.inbox.secondsUntilNextDue() == nil)
        let claimed = try store.inbox.claim(limit: 5, workerID: "test")
        #expect(claimed.count == 1)
        #expect(try store.inbox.secondsUntilNextDue() != nil, "the lease's end")
        #expect(try store.inbox.finish([(claimed[0], .complete)]) == [true])
        #expect(try store.counts().inbox.done == 1)
    }
}
