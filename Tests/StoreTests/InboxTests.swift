import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

@Suite struct InboxTests {
    @Test func enqueueStoresBodyAndMetadata() throws {
        let t = try TestStore()
        let outcome = try t.store.inbox.enqueueAndWait(event("a", body: #"{"name":"slot-booked"}"#))
        #expect(!outcome.isDuplicate)
        let jobs = try t.store.inbox.claim(limit: 10, workerID: "w")
        #expect(jobs.count == 1)
        #expect(jobs[0].id == outcome.id)
        #expect(String(decoding: jobs[0].payload, as: UTF8.self) == #"{"name":"slot-booked"}"#)
        #expect(jobs[0].kind == "slot-booked")
        #expect(jobs[0].source == "127.0.0.1")
        #expect(jobs[0].dedupKey == "a")
    }

    @Test func duplicateIsRecognisedAndNotStoredTwice() throws {
        let t = try TestStore()
        let first = try t.store.inbox.enqueueAndWait(event("same"))
        let second = try t.store.inbox.enqueueAndWait(event("same", body: "other"))
        #expect(second.isDuplicate)
        #expect(second.id == first.id)
        #expect(try t.store.counts().inbox.pending == 1)
    }

    @Test func severalItemsAreStoredTogetherWithOneResultEachInOrder() throws {
        let t = try TestStore()
        let results = t.store.inbox.enqueueAndWait([event("p"), event("q"), event("p", body: "again")])
        let outcomes = try results.map { try $0.get() }
        #expect(outcomes.map(\.isDuplicate) == [false, false, true])
        #expect(outcomes[2].id == outcomes[0].id)
        #expect(try t.store.counts().inbox.pending == 2)
        #expect(t.store.inbox.enqueueAndWait([InboxItem]()).isEmpty)
    }

    @Test func duplicateStaysRecognisedAfterCompletion() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("x"))
        let job = try #require(try t.store.inbox.claim(workerID: "w").first)
        #expect(try t.store.inbox.complete(job))
        #expect(try t.store.inbox.enqueueAndWait(event("x")).isDuplicate)
        #expect(try t.store.inbox.claim(workerID: "w").isEmpty)
    }

    @Test func concurrentEnqueuesAreGroupedIntoFewCommits() throws {
        let t = try TestStore()
        let group = DispatchGroup()
        let failures = Counter()
        for index in 0..<500 {
            group.enter()
            t.store.inbox.enqueue(event("k\(index)")) { result in
                if case .failure = result { failures.increment() }
                group.leave()
            }
        }
        group.wait()
        #expect(failures.value == 0)
        #expect(try t.store.counts().inbox.pending == 500)
    }

    @Test func completionComesOnlyAfterTheRowIsReadableFromAnotherConnection() throws {
        let t = try TestStore()
        let outcome = try t.store.inbox.enqueueAndWait(event("durable"))
        // A separate connection, as a restarted process would open.
        let other = try t.otherConnection()
        #expect(try other.scalar("SELECT COUNT(*) FROM inbox WHERE id = ?", .integer(outcome.id)) == 1)
    }

    @Test func dataSurvivesReopening() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("s.sqlite")
        let first = try Store(path: path)
        let id = try first.inbox.enqueueAndWait(event("persist")).id
        first.close()
        let second = try Store(path: path)
        defer { second.close() }
        #expect(try second.inbox.claim(workerID: "w").map(\.id) == [id])
    }

    @Test func enqueueAfterCloseFailsClearly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Store(path: directory.file("s.sqlite"))
        store.close()
        #expect(throws: StoreError.closed) { try store.inbox.enqueueAndWait(event("late")) }
    }
}

/// A thread-safe counter for tests.
final class Counter: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var count = 0
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

@Suite struct ReopenedControlConnectionTests {
    @Test func theReadConnectionClosedBetweenUsesOpensAgainForTheNextClaim() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        #expect(t.store.control.closeUnlessBusy())
        #expect(!t.store.control.isOpen)
        #expect(!t.store.control.closeUnlessBusy())  // already closed
        // Enqueues go through the writer, which stays open; the claim opens the reads again.
        _ = try t.store.inbox.enqueueAndWait(event("b"))
        #expect(!t.store.control.isOpen)
        let jobs = try t.store.inbox.claim(limit: 10, workerID: "w")
        #expect(jobs.map(\.dedupKey) == ["a", "b"])
        #expect(t.store.control.isOpen)
        // Deleted rows are still overwritten on the reopened connection (SQLite's setting).
        guard TestStore.backend == .sqlite else { return }
        let secureDelete = try t.store.control.with { database throws(StoreError) in
            try database.scalar("PRAGMA secure_delete")
        }
        #expect(secureDelete == 1)
    }

    @Test func aConnectionInUseIsNotClosed() throws {
        let t = try TestStore()
        let closedWhileInUse = try t.store.control.with { _ in t.store.control.closeUnlessBusy() }
        #expect(!closedWhileInUse)
        #expect(t.store.control.isOpen)
    }

    @Test func aClosedStoreStaysClosed() throws {
        let t = try TestStore()
        t.store.close()
        #expect(!t.store.control.closeUnlessBusy())
        #expect(throws: StoreError.self) { try t.store.counts() }
    }
}
