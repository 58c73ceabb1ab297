import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Store

@Suite struct OutcomeTests {
    @Test func backoffGrowsExponentiallyWithJitterAndACap() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: 2, maxDelay: 60)
        #expect(policy.delay(afterAttempt: 1, random: 0) == 1)
        #expect(policy.delay(afterAttempt: 1, random: 0.999) < 2)
        #expect(policy.delay(afterAttempt: 2, random: 0) == 2)
        #expect(policy.delay(afterAttempt: 4, random: 0) == 8)
        #expect(policy.delay(afterAttempt: 20, random: 0) == 30)
        #expect(policy.delay(afterAttempt: 20, random: 0.999) <= 60)
        let samples = Set((0..<50).map { _ in policy.delay(afterAttempt: 3) })
        #expect(samples.count > 1, "jitter spreads retries")
    }

    @Test func retryWaitsForItsBackoff() throws {
        let t = try TestStore()  // initial delay 10 s: the first retry comes after 5–10 s
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "replaceSlots", payload: []))
        let job = try #require(try t.store.outbox.claim(workerID: "w").first)
        #expect(try t.store.outbox.retryLater(job, error: "HTTP 503"))
        #expect(try t.store.counts().outbox.retrying == 1)
        t.clock.advance(by: 4.9)
        #expect(try t.store.outbox.claim(workerID: "w").isEmpty)
        t.clock.advance(by: 5.2)
        let again = try #require(try t.store.outbox.claim(workerID: "w").first)
        #expect(again.attempts == 1)
    }

    @Test func retryHonoursALaterNotBefore() throws {
        let t = try TestStore()
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "bookSlot", payload: []))
        let job = try #require(try t.store.outbox.claim(workerID: "w").first)
        let retryAfter = Date(timeIntervalSince1970: t.clock.now() + 3600)
        try t.store.outbox.retryLater(job, error: "HTTP 429", notBefore: retryAfter)
        t.clock.advance(by: 3599)
        #expect(try t.store.outbox.claim(workerID: "w").isEmpty)
        t.clock.advance(by: 2)
        #expect(try t.store.outbox.claim(workerID: "w").count == 1)
    }

    @Test func tooManyAttemptsMakeADeadLetter() throws {
        let t = try TestStore()  // maxAttempts 4
        _ = try t.store.inbox.enqueueAndWait(event("doomed"))
        for _ in 0..<4 {
            t.clock.advance(by: 1000)
            let job = try #require(try t.store.inbox.claim(workerID: "w").first)
            try t.store.inbox.retryLater(job, error: "partner timeout")
        }
        let dead = try t.store.inbox.deadLetters()
        #expect(dead.count == 1)
        #expect(dead[0].reason.contains("gave up after 4 attempts: partner timeout"))
        #expect(try t.store.counts().inbox.dead == 1)
    }

    @Test func aBatchOfOutcomesIsRecordedTogetherWithTheSameRules() throws {
        let t = try TestStore()  // maxAttempts 4
        for key in ["a", "b", "c", "d"] { _ = try t.store.inbox.enqueueAndWait(event(key)) }
        let jobs = try t.store.inbox.claim(limit: 4, workerID: "w")
        #expect(jobs.count == 4)
        let held = jobs[3]
        let lost = Job(
            id: held.id, kind: held.kind, payload: held.payload, dedupKey: held.dedupKey, orderingKey: held.orderingKey,
            source: held.source, createdAt: held.createdAt, attempts: held.attempts, leaseToken: "someone-else")
        let recorded = try t.store.inbox.finish([
            (jobs[0], .complete), (jobs[1], .retry(error: "partner busy", notBefore: nil)),
            (jobs[2], .dead(reason: "cannot apply")), (lost, .complete),
        ])
        #expect(recorded == [true, true, true, false])
        let counts = try t.store.counts().inbox
        #expect(counts.done == 1 && counts.retrying == 1 && counts.dead == 1 && counts.inFlight == 1)
        // The queue knows when the retry comes due (5–10 s with this policy).
        let due = try #require(try t.store.inbox.secondsUntilNextDue())
        #expect(due >= 4.9 && due <= 30)
    }

    @Test func theObserverHearsEachRecordedOutcomeOnce() throws {
        let heard = Mutex<[String]>([])
        let t = try TestStore { queue, outcome in heard.withLock { $0.append("\(queue) \(outcome.rawValue)") } }
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        _ = try t.store.inbox.enqueueAndWait(event("b"))
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "bookSlot", payload: [], dedupKey: "c"))
        let a = try #require(try t.store.inbox.claim(workerID: "w").first)
        try t.store.inbox.complete(a)
        // A lost lease records nothing, so nothing is heard.
        #expect(try !t.store.inbox.complete(a))
        let c = try #require(try t.store.outbox.claim(workerID: "w").first)
        try t.store.outbox.failPermanently(c, reason: "400")
        // Retries until the attempts run out: the last one is heard as dead, not as a retry.
        for _ in 0..<4 {
            t.clock.advance(by: 1000)
            let b = try #require(try t.store.inbox.claim(workerID: "w").first)
            try t.store.inbox.retryLater(b, error: "partner timeout")
        }
        #expect(
            heard.withLock { $0 } == [
                "inbox done", "outbox dead", "inbox retry", "inbox retry", "inbox retry", "inbox dead",
            ])
    }

    @Test func permanentFailureKeepsTheReasonAndCanBeReplayedOrPurged() throws {
        let t = try TestStore()
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "bookSlot", payload: Array("{}".utf8), dedupKey: "d1"))
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "cancelBooking", payload: [], dedupKey: "d2"))
        for job in try t.store.outbox.claim(limit: 2, workerID: "w") {
            try t.store.outbox.failPermanently(job, reason: "HTTP 404: slot not found")
        }
        var dead = try t.store.outbox.deadLetters()
        #expect(dead.map(\.dedupKey) == ["d1", "d2"])
        #expect(dead[0].reason == "HTTP 404: slot not found")
        try t.store.outbox.replay(deadLetter: dead[0].id)
        #expect(try t.store.outbox.claim(workerID: "w").map(\.dedupKey) == ["d1"])
        #expect(throws: StoreError.jobInState(id: dead[0].id, state: .inFlight)) {
            try t.store.outbox.replay(deadLetter: dead[0].id)
        }
        #expect(throws: StoreError.noSuchJob(999)) { try t.store.outbox.replay(deadLetter: 999) }
        #expect(try t.store.outbox.purgeDeadLetters() == 1)
        dead = try t.store.outbox.deadLetters()
        #expect(dead.isEmpty)
    }

    @Test func completedJobsCanBePurgedAfterTheDedupWindow() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("old"))
        try t.store.inbox.complete(try #require(try t.store.inbox.claim(workerID: "w").first))
        t.clock.advance(by: 100)
        #expect(try t.store.inbox.purgeCompleted(olderThan: 200) == 0)
        t.clock.advance(by: 200)
        #expect(try t.store.inbox.purgeCompleted(olderThan: 200) == 1)
        #expect(!(try t.store.inbox.enqueueAndWait(event("old")).isDuplicate))
    }
}

@Suite struct OutboxTests {
    @Test func newerPendingJobReplacesOlderOneWithSameCoalescingKey() throws {
        let t = try TestStore()
        let first = try t.store.outbox.enqueueAndWait(
            OutboxItem(kind: "replaceSlots", payload: Array("v1".utf8), coalesceKey: "slots:address-1", priority: 2))
        let second = try t.store.outbox.enqueueAndWait(
            OutboxItem(kind: "replaceSlots", payload: Array("v2".utf8), coalesceKey: "slots:address-1", priority: 2))
        #expect(first.replaced == 0)
        #expect(second.replaced == 1)
        let jobs = try t.store.outbox.claim(limit: 10, workerID: "w")
        #expect(jobs.map { String(decoding: $0.payload, as: UTF8.self) } == ["v2"])
    }

    @Test func startedJobIsNotReplaced() throws {
        let t = try TestStore()
        _ = try t.store.outbox.enqueueAndWait(
            OutboxItem(kind: "replaceSlots", payload: Array("v1".utf8), coalesceKey: "slots:a"))
        let running = try #require(try t.store.outbox.claim(workerID: "w").first)
        let newer = try t.store.outbox.enqueueAndWait(
            OutboxItem(kind: "replaceSlots", payload: Array("v2".utf8), coalesceKey: "slots:a"))
        #expect(newer.replaced == 0)
        try t.store.outbox.complete(running)
        #expect(try t.store.outbox.claim(workerID: "w").map { String(decoding: $0.payload, as: UTF8.self) } == ["v2"])
    }

    @Test func lowerPriorityNumberIsClaimedFirst() throws {
        let t = try TestStore()
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "replaceSlots", payload: [], priority: 2))
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "addBreak", payload: [], priority: 1))
        _ = try t.store.outbox.enqueueAndWait(OutboxItem(kind: "bookSlot", payload: [], priority: 0))
        #expect(
            try t.store.outbox.claim(limit: 3, workerID: "w").map(\.kind) == ["bookSlot", "addBreak", "replaceSlots"])
    }
}

@Suite struct QuarantineAndCountsTests {
    @Test func quarantineKeepsTheNewestBodiesWithinItsLimit() throws {
        let t = try TestStore(quarantineLimit: 3)
        for index in 0..<5 {
            try t.store.quarantine.addAndWait(
                body: Array("bad \(index)".utf8), reason: "not JSON", sourceAddress: "203.0.113.9")
        }
        let entries = try t.store.quarantine.list()
        #expect(entries.map { String(decoding: $0.body, as: UTF8.self) } == ["bad 4", "bad 3", "bad 2"])
        #expect(entries[0].reason == "not JSON")
        #expect(try t.store.counts().quarantined == 3)
    }

    @Test func countsReportEachStateAndTheOldestPendingAge() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("1"))
        t.clock.advance(by: 5)
        _ = try t.store.inbox.enqueueAndWait(
            InboxItem(body: [], receivedAt: Date(timeIntervalSince1970: t.clock.now()), dedupKey: "2", eventName: "x"))
        _ = try t.store.inbox.enqueueAndWait(
            InboxItem(body: [], receivedAt: Date(timeIntervalSince1970: t.clock.now()), dedupKey: "3", eventName: "x"))
        _ = try t.store.inbox.enqueueAndWait(
            InboxItem(body: [], receivedAt: Date(timeIntervalSince1970: t.clock.now()), dedupKey: "4", eventName: "x"))
        let jobs = try t.store.inbox.claim(limit: 3, workerID: "w")
        try t.store.inbox.complete(jobs[0])
        try t.store.inbox.retryLater(jobs[1], error: "e")
        var counts = try t.store.counts().inbox
        #expect(counts.pending == 1)
        #expect(counts.inFlight == 1)
        #expect(counts.retrying == 1)
        #expect(counts.done == 1)
        #expect(counts.dead == 0)
        #expect(counts.oldestPendingAgeSeconds == 0)
        t.clock.advance(by: 7)
        counts = try t.store.counts().inbox
        #expect(counts.oldestPendingAgeSeconds == 7)
    }
}
