import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

/// What `dpbridge queue …` and `dpbridge deadletters …` do to a queue.
@Suite struct InspectionTests {
    /// Outbox jobs 1…4: 1 pending, 2 retrying, 3 in flight, 4 dead, 5 done.
    func storeWithEveryState() throws -> TestStore {
        let t = try TestStore()
        for key in ["p", "r", "f", "d", "x"] {
            _ = try t.store.outbox.enqueueAndWait(
                OutboxItem(
                    kind: "bookSlot", payload: Array(#"{"key":"\#(key)"}"#.utf8), dedupKey: key, orderingKey: "o-\(key)"
                ))
        }
        let claimed = try t.store.outbox.claim(limit: 5, workerID: "w")
        let byKey = Dictionary(uniqueKeysWithValues: claimed.map { ($0.dedupKey, $0) })
        try t.store.outbox.retryLater(try #require(byKey["r"]), error: "HTTP 503")
        try t.store.outbox.failPermanently(try #require(byKey["d"]), reason: "patient_phone is required")
        try t.store.outbox.complete(try #require(byKey["x"]))
        // "p" back to pending: a fresh store has no other way to a pending job after a claim.
        try t.store.outbox.failPermanently(try #require(byKey["p"]), reason: "x")
        try t.store.outbox.replay(deadLetter: try #require(byKey["p"]).id)
        return t
    }

    @Test func listsJobsByStateOldestFirstWithEverythingStored() throws {
        let t = try storeWithEveryState()
        let open = try t.store.outbox.jobs(in: JobState.open, limit: 10)
        #expect(open.map(\.dedupKey) == ["p", "r", "f", "d"])
        #expect(open.map(\.state) == [.pending, .retrying, .inFlight, .dead])
        #expect(try t.store.outbox.count(in: JobState.open) == 4)
        #expect(try t.store.outbox.count(in: [.done]) == 1)
        #expect(try t.store.outbox.jobs(in: JobState.open, limit: 2).map(\.dedupKey) == ["p", "r"])
        #expect(try t.store.outbox.jobs(in: [], limit: 10).isEmpty)

        let dead = try #require(try t.store.outbox.jobs(in: [.dead], limit: 10).first)
        #expect(dead.lastError == "patient_phone is required")
        #expect(dead.attempts == 1)
        #expect(dead.finishedAt != nil)
        #expect(dead.orderingKey == "o-d")
        #expect(String(decoding: dead.payload, as: UTF8.self) == #"{"key":"d"}"#)
        let retrying = try #require(try t.store.outbox.job(id: open[1].id))
        #expect(retrying.notBefore.map { $0.timeIntervalSince1970 > t.clock.now() } == true)
        #expect(retrying.lastError == "HTTP 503")
        #expect(try t.store.outbox.job(id: open[2].id)?.leaseUntil != nil)
        #expect(try t.store.outbox.job(id: 999) == nil)
        #expect(try t.store.inbox.jobs(in: JobState.open, limit: 10).isEmpty)
    }

    @Test func anExpiredLeaseIsShownAsRetrying() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        _ = try t.store.inbox.claim(lease: 30, workerID: "w")
        #expect(try t.store.inbox.jobs(in: [.inFlight], limit: 5).count == 1)
        t.clock.advance(by: 31)
        #expect(try t.store.inbox.jobs(in: [.inFlight], limit: 5).isEmpty)
        #expect(try t.store.inbox.jobs(in: [.retrying], limit: 5).count == 1)
        #expect(try t.store.counts().inbox.retrying == 1)
    }

    @Test func retryNowMakesARetryingJobDueAndADeadLetterPending() throws {
        let t = try storeWithEveryState()
        let jobs = try t.store.outbox.jobs(in: JobState.open, limit: 10)
        let (pending, retrying, inFlight, dead) = (jobs[0].id, jobs[1].id, jobs[2].id, jobs[3].id)

        #expect(try t.store.outbox.retryNow(id: retrying) == .retrying)
        let due = try #require(try t.store.outbox.job(id: retrying))
        #expect(due.notBefore?.timeIntervalSince1970 == t.clock.now())
        #expect(due.attempts == 1, "the attempts made still count")

        #expect(try t.store.outbox.retryNow(id: dead) == .dead)
        let revived = try #require(try t.store.outbox.job(id: dead))
        #expect(revived.state == .pending)
        #expect(revived.attempts == 0)
        #expect(revived.finishedAt == nil)

        #expect(try t.store.outbox.retryNow(id: pending) == .pending)
        #expect(throws: StoreError.jobInState(id: inFlight, state: .inFlight)) {
            try t.store.outbox.retryNow(id: inFlight)
        }
        let done = try #require(try t.store.outbox.jobs(in: [.done], limit: 1).first)
        #expect(throws: StoreError.jobInState(id: done.id, state: .done)) { try t.store.outbox.retryNow(id: done.id) }
        #expect(throws: StoreError.noSuchJob(999)) { try t.store.outbox.retryNow(id: 999) }

        // Both are claimed at once now (the clock did not move).
        let claimed = try t.store.outbox.claim(limit: 5, workerID: "w2").map(\.id).sorted()
        #expect(claimed == [pending, retrying, dead].sorted())
    }

    @Test func purgeByIDIsAllOrNothing() throws {
        let t = try storeWithEveryState()
        let jobs = try t.store.outbox.jobs(in: JobState.open, limit: 10)
        let (pending, retrying, inFlight, dead) = (jobs[0].id, jobs[1].id, jobs[2].id, jobs[3].id)

        #expect(throws: StoreError.jobInState(id: inFlight, state: .inFlight)) {
            try t.store.outbox.purge(ids: [pending, inFlight], allowing: JobState.purgeable)
        }
        #expect(throws: StoreError.noSuchJob(999)) {
            try t.store.outbox.purge(ids: [pending, 999], allowing: JobState.purgeable)
        }
        #expect(throws: StoreError.jobInState(id: pending, state: .pending)) {
            try t.store.outbox.purge(ids: [dead, pending], allowing: [.dead])
        }
        // In-flight cannot be allowed in, even when asked for.
        #expect(throws: StoreError.jobInState(id: inFlight, state: .inFlight)) {
            try t.store.outbox.purge(ids: [inFlight], allowing: JobState.open)
        }
        #expect(try t.store.outbox.count(in: JobState.open) == 4, "nothing was deleted")

        try t.store.outbox.purge(ids: [pending, retrying, dead], allowing: JobState.purgeable)
        #expect(try t.store.outbox.jobs(in: JobState.open, limit: 10).map(\.id) == [inFlight])
        #expect(try t.store.outbox.count(in: [.done]) == 1)
    }

    @Test func purgeAllTakesOnlyTheStatesAskedForAndNeverInFlightOrDone() throws {
        let t = try storeWithEveryState()
        let jobs = try t.store.outbox.jobs(in: JobState.open, limit: 10)
        #expect(try t.store.outbox.purgeAll(in: [.dead]) == [jobs[3].id])
        #expect(try t.store.outbox.purgeAll(in: [.inFlight, .done]).isEmpty)
        #expect(try t.store.outbox.purgeAll(in: Set(JobState.allCases)) == [jobs[0].id, jobs[1].id])
        #expect(try t.store.outbox.jobs(in: Set(JobState.allCases), limit: 10).map(\.state) == [.inFlight, .done])
    }

    @Test func replayAllDeadLettersPutsEachBackInTheQueue() throws {
        let t = try TestStore()
        for key in ["a", "b", "c"] { _ = try t.store.inbox.enqueueAndWait(event(key)) }
        let claimed = try t.store.inbox.claim(limit: 3, workerID: "w")
        try t.store.inbox.failPermanently(claimed[0], reason: "no booking id")
        try t.store.inbox.failPermanently(claimed[2], reason: "no booking id")
        try t.store.inbox.complete(claimed[1])
        #expect(try t.store.inbox.replayAllDeadLetters() == [claimed[0].id, claimed[2].id])
        #expect(try t.store.inbox.replayAllDeadLetters().isEmpty)
        #expect(try t.store.inbox.jobs(in: [.pending], limit: 5).map(\.attempts) == [0, 0])
        #expect(throws: StoreError.jobInState(id: claimed[1].id, state: .done)) {
            try t.store.inbox.replay(deadLetter: claimed[1].id)
        }
    }

    @Test func queuesAreNamed() throws {
        let t = try TestStore()
        #expect(t.store.queue(.inbox).name == .inbox)
        #expect(t.store.queue(.outbox).name == .outbox)
        #expect(t.store.queue(.outbox) === t.store.outbox)
    }
}

@Suite struct StoreValuesTests {
    @Test func valuesAreReplacedAndSurviveReopening() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-values")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        let clock = ManualClock()
        do {
            let store = try Store(path: path, clock: clock)
            defer { store.close() }
            #expect(try store.values.get(StoreValues.lastPingKey) == nil)
            try store.values.setAndWait(StoreValues.lastPingKey, "1800000000.250")
            clock.advance(by: 5)
            try store.values.setAndWait(StoreValues.lastPingKey, "1800000005.500")
            #expect(
                try store.values.get(StoreValues.lastPingKey)?.updatedAt == Date(timeIntervalSince1970: clock.now()))
        }
        let reopened = try Store(path: path, clock: clock)
        defer { reopened.close() }
        #expect(try reopened.values.date(StoreValues.lastPingKey) == Date(timeIntervalSince1970: 1_800_000_005.5))
        #expect(try reopened.values.date("missing") == nil)
    }

    @Test func setWithoutWaitingIsDurableOnceTheWriterCommits() throws {
        let t = try TestStore()
        t.store.values.set("k", date: Date(timeIntervalSince1970: 1_800_000_123))
        // Any later write through the writer commits after it.
        try t.store.values.setAndWait("other", "x")
        #expect(try t.store.values.date("k") == Date(timeIntervalSince1970: 1_800_000_123))
    }

    @Test func aStoreFromBeforeTheValuesTableIsMigrated() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-values")
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        do {
            let database = try Database(path: path)
            try Migrator(migrations: Array(StoreSchema.migrator.migrations.prefix(2))).migrate(database)
            #expect(try database.scalar("PRAGMA user_version") == 2)
        }
        let store = try Store(path: path)
        defer { store.close() }
        try store.values.setAndWait("k", "v")
        #expect(try store.values.get("k")?.value == "v")
        #expect(Store.schemaVersion >= 5, "migration 5 (insurance plans) runs after the values table")
    }
}
