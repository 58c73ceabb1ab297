import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

/// Patients' data kept no longer than needed: done jobs, decisions and quarantined bodies
/// go once past their retention (by the store's clock, moved by hand here), dead letters
/// stay for an operator, and the deleted bytes leave no copy in the file or its log.
@Suite struct RetentionTests {
    static let day = 86_400.0

    /// A done job in `queue`, finished now.
    func done(_ t: TestStore, _ queue: JobQueue, _ key: String, body: String = "{}") throws {
        if queue === t.store.inbox {
            _ = try queue.enqueueAndWait(event(key, body: body))
        } else {
            _ = try queue.enqueueAndWait(OutboxItem(kind: "booking", payload: Array(body.utf8), dedupKey: key))
        }
        let job = try #require(try queue.claim(workerID: "w").first { $0.dedupKey == key })
        try queue.complete(job)
    }

    func decide(_ t: TestStore, _ key: String) throws {
        let record = DecisionRecord(
            decidedAt: Date(timeIntervalSince1970: t.clock.now()), eventName: "slot-booking", eventKey: key,
            doctorID: "123", addressID: "111", startAt: "2027-01-20T10:00:00+01:00", approved: true, errorCode: nil,
            reason: "free", elapsedMilliseconds: 3)
        _ = try JobQueue.wait { t.store.decisions.record(record, completion: $0) }
    }

    @Test func deletesWhatIsPastItsRetentionAndKeepsDeadLettersAndWaitingJobs() throws {
        let t = try TestStore()
        let policy = RetentionPolicy(days: 30, quarantineDays: 7)
        try done(t, t.store.inbox, "old-in")
        try done(t, t.store.outbox, "old-out")
        _ = try t.store.inbox.enqueueAndWait(event("dead"))
        try t.store.inbox.failPermanently(
            try #require(try t.store.inbox.claim(workerID: "w").first), reason: "no booking id")
        _ = try t.store.inbox.enqueueAndWait(event("waiting"))
        try t.store.inbox.retryLater(
            try #require(try t.store.inbox.claim(workerID: "w").first), error: "calendar busy",
            notBefore: Date(timeIntervalSince1970: t.clock.now() + 100 * Self.day))
        try decide(t, "old-decision")
        try t.store.quarantine.addAndWait(body: Array("old junk".utf8), reason: "not JSON", sourceAddress: "127.0.0.1")

        t.clock.advance(by: 29 * Self.day)
        try done(t, t.store.inbox, "new-in")
        try t.store.quarantine.addAndWait(body: Array("new junk".utf8), reason: "not JSON", sourceAddress: "127.0.0.1")
        var report = try t.store.applyRetention(policy)
        var expected = RetentionReport()
        expected.quarantined = 1
        #expect(report == expected, "29 days: only the quarantined body is past its 7 days")
        #expect(try t.store.quarantine.list().map { String(decoding: $0.body, as: UTF8.self) } == ["new junk"])

        t.clock.advance(by: 2 * Self.day)
        report = try t.store.applyRetention(policy)
        expected = RetentionReport()
        expected.inboxDone = 1
        expected.outboxDone = 1
        expected.decisions = 1
        expected.deadLettersKept = 1
        #expect(report == expected, "31 days: the old done jobs and the decision go; the dead letter stays")
        #expect(try t.store.inbox.jobs(in: [.done], limit: 10).map(\.dedupKey) == ["new-in"])
        #expect(try t.store.outbox.count(in: [.done]) == 0)
        #expect(try t.store.inbox.deadLetters().map(\.dedupKey) == ["dead"])
        #expect(try t.store.inbox.jobs(in: [.retrying], limit: 10).map(\.dedupKey) == ["waiting"])
        #expect(try t.store.decisions.list().isEmpty)
        #expect(try t.store.quarantine.count() == 1, "the newer body is 2 days old")

        // Nothing left to delete: a run changes nothing and says so.
        report = try t.store.applyRetention(policy)
        #expect(report.deleted == 0 && report.deadLettersKept == 1)
        // A done job that is gone no longer remembers its identity (see retention.days).
        #expect(try !t.store.inbox.enqueueAndWait(event("old-in")).isDuplicate)
    }

    /// However much is due (a store upgraded after months), it goes in short transactions.
    @Test func manyRowsAreDeletedInBatches() throws {
        let t = try TestStore()
        let count = Store.retentionBatch * 2 + 7
        let results = t.store.inbox.enqueueAndWait((0..<count).map { event("e\($0)") })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let database = try t.otherConnection()
        try database.execute("UPDATE inbox SET state = 'done', finished_at = \(t.clock.now())")
        t.clock.advance(by: 31 * Self.day)
        #expect(try t.store.applyRetention(RetentionPolicy()).inboxDone == count)
        #expect(try t.store.inbox.count(in: [.done]) == 0)
    }

    /// A new store gives freed pages back; `secure_delete` overwrote them, and the
    /// write-ahead log (which held the rows when they were written) is emptied, so the
    /// deleted payload is nowhere in the files.
    @Test(.enabled(if: TestStore.backend == .sqlite, "SQLite's files; PostgreSQL's are the server's"))
    func deletedPayloadsLeaveNoBytesBehind() throws {
        let t = try TestStore()
        let marker = "Abraham-Lincoln-48123123123"
        for index in 0..<50 {
            try done(t, t.store.inbox, "e\(index)", body: #"{"patient":{"name":"\#(marker)"},"n":\#(index)}"#)
        }
        let probe = try Database(path: t.store.path)
        #expect(try probe.scalar("PRAGMA auto_vacuum") == 2, "incremental")
        #expect(try storeFiles(t.store.path).contains(marker), "the payloads are on disk before")
        t.clock.advance(by: 31 * Self.day)
        #expect(try t.store.applyRetention(RetentionPolicy()).inboxDone == 50)
        #expect(try !storeFiles(t.store.path).contains(marker), "no copy in the database file or its log")
        #expect(try probe.scalar("PRAGMA freelist_count") == 0, "freed pages given back")
    }

    /// The check above can fail: without `secure_delete` and the log emptied, deleted
    /// rows stay readable in the file.
    @Test func withoutSecureDeleteDeletedBytesStayInTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("plain.sqlite")
        let database = try Database(path: path)
        try database.execute("PRAGMA secure_delete = OFF")
        try database.execute("CREATE TABLE t (payload TEXT)")
        try database.execute("INSERT INTO t VALUES ('Abraham-Lincoln-48123123123')")
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try database.execute("DELETE FROM t")
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(try storeFiles(path).contains("Abraham-Lincoln-48123123123"))
    }
}

/// The bytes of a database and its write-ahead log, as Latin-1 text (every byte one character).
func storeFiles(_ path: String) throws -> String {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    if let log = FileManager.default.contents(atPath: path + "-wal") { bytes += log }
    return String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
}
