import Foundation
import TestSupport
import Testing

@testable import Store

@Suite struct ClaimTests {
    /// A claim walks the unfinished jobs' index in its order and stops at its limit: it
    /// does not read and sort every pending row (with a backlog, every claim read it all).
    @Test(.enabled(if: TestStore.backend == .sqlite, "SQLite's planner; PostgreSQL plans its own way"))
    func aClaimWalksTheUnfinishedJobsIndexWithoutSorting() throws {
        let t = try TestStore()
        for index in 0..<50 { _ = try t.store.inbox.enqueueAndWait(event("backlog-\(index)")) }
        let database = try t.otherConnection()
        for table in ["inbox", "outbox"] {
            let plan = try database.database.textRows(
                "EXPLAIN QUERY PLAN " + JobQueue.claimQuery(table: table, dialect: .sqlite), columns: 4,
                binding: [.real(t.clock.now()), .integer(10)]
            ).map { $0[3] }
            #expect(plan.contains { $0.contains("\(table)_unfinished") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
        #expect(try t.store.inbox.claim(limit: 10, workerID: "w").map(\.dedupKey) == (0..<10).map { "backlog-\($0)" })
    }

    @Test func claimedJobIsNotHandedOutTwice() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        #expect(try t.store.inbox.claim(workerID: "w1").count == 1)
        #expect(try t.store.inbox.claim(workerID: "w2").isEmpty)
    }

    @Test func expiredLeaseMakesTheJobClaimableAgain() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        let first = try #require(try t.store.inbox.claim(lease: 30, workerID: "dead-worker").first)
        t.clock.advance(by: 29)
        #expect(try t.store.inbox.claim(workerID: "w2").isEmpty)
        #expect(try t.store.counts().inbox.inFlight == 1)
        t.clock.advance(by: 2)
        let second = try #require(try t.store.inbox.claim(workerID: "w2").first)
        #expect(second.id == first.id)
        #expect(second.leaseToken != first.leaseToken)
        // The attempt whose lease ran out counts: it may have done its work (a booking made,
        // its answer lost), and the next one must look before doing it again.
        #expect(first.attempts == 0 && second.attempts == 1)
        // The dead worker's late report is ignored; the new owner's counts.
        #expect(try t.store.inbox.complete(first) == false)
        #expect(try t.store.inbox.complete(second) == true)
    }

    @Test func extendingALeaseKeepsTheJob() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        let job = try #require(try t.store.inbox.claim(lease: 10, workerID: "w").first)
        t.clock.advance(by: 8)
        #expect(try t.store.inbox.extendLease(job, by: 10))
        t.clock.advance(by: 8)
        #expect(try t.store.inbox.claim(workerID: "other").isEmpty)
    }

    @Test func sameOrderingKeyIsHandedOutOneAtATimeInOrder() throws {
        let t = try TestStore()
        for index in 0..<3 { _ = try t.store.inbox.enqueueAndWait(event("b\(index)", ordering: "booking:1")) }
        _ = try t.store.inbox.enqueueAndWait(event("other", ordering: "booking:2"))
        let first = try t.store.inbox.claim(limit: 10, workerID: "w")
        #expect(first.map(\.dedupKey) == ["b0", "other"])
        #expect(try t.store.inbox.claim(limit: 10, workerID: "w").isEmpty)
        try t.store.inbox.complete(first[0])
        #expect(try t.store.inbox.claim(limit: 10, workerID: "w").map(\.dedupKey) == ["b1"])
    }

    @Test func laterJobWaitsWhileAnEarlierOneIsRetrying() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("first", ordering: "k"))
        _ = try t.store.inbox.enqueueAndWait(event("second", ordering: "k"))
        let first = try #require(try t.store.inbox.claim(workerID: "w").first)
        try t.store.inbox.retryLater(first, error: "partner down")
        #expect(try t.store.inbox.claim(limit: 10, workerID: "w").isEmpty)
        t.clock.advance(by: 1000)
        #expect(try t.store.inbox.claim(limit: 10, workerID: "w").map(\.dedupKey) == ["first"])
    }

    @Test func orderingHoldsUnderConcurrentClaimers() throws {
        let t = try TestStore()
        let keys = 8
        let perKey = 25
        for sequence in 0..<perKey {
            for key in 0..<keys {
                _ = try t.store.inbox.enqueueAndWait(
                    event("\(key)-\(sequence)", ordering: "key\(key)", body: "\(sequence)"))
            }
        }
        let log = OrderLog()
        let store = t.store
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var idle = 0
                while idle < 200 {
                    guard let jobs = try? store.inbox.claim(limit: 3, workerID: "w\(worker)"), !jobs.isEmpty else {
                        idle += 1
                        usleep(500)
                        continue
                    }
                    idle = 0
                    for job in jobs {
                        log.begin(job)
                        usleep(100)
                        log.end(job)
                        _ = try? store.inbox.complete(job)
                    }
                }
            }
        }
        group.wait()
        #expect(log.violations.isEmpty, "\(log.violations)")
        #expect(log.completed == keys * perKey)
        #expect(try t.store.counts().inbox.done == keys * perKey)
    }
}

/// Records, per ordering key, that jobs run one at a time and in sequence.
final class OrderLog: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var running: Set<String> = []
    private var lastSequence: [String: Int] = [:]
    private(set) var violations: [String] = []
    private(set) var completed = 0

    func begin(_ job: Job) {
        lock.lock()
        defer { lock.unlock() }
        let key = job.orderingKey ?? ""
        if running.contains(key) { violations.append("\(key) ran concurrently") }
        running.insert(key)
        let sequence = Int(String(decoding: job.payload, as: UTF8.self))!
        if let last = lastSequence[key], sequence != last + 1 { violations.append("\(key): \(sequence) after \(last)") }
        if lastSequence[key] == nil, sequence != 0 { violations.append("\(key) started at \(sequence)") }
        lastSequence[key] = sequence
    }

    func end(_ job: Job) {
        lock.lock()
        defer { lock.unlock() }
        running.remove(job.orderingKey ?? "")
        completed += 1
    }
}

/// Times set by a previous process, on a wall clock stepped back since, never hold a job
/// longer than a backoff (or an hour).
@Suite struct ClockStepTests {
    @Test func dueTimesFromAnEarlierProcessAreCappedAtStart() throws {
        let t = try TestStore()
        _ = try t.store.inbox.enqueueAndWait(event("a"))
        _ = try t.store.inbox.enqueueAndWait(event("b"))
        let a = try #require(try t.store.inbox.claim(limit: 1, workerID: "w").first)
        // As if the clock had read two days later when this was recorded.
        try t.store.inbox.retryLater(
            a, error: "busy", notBefore: Date(timeIntervalSince1970: t.clock.now() + 2 * 86_400))
        try t.store.inbox.reclaimAbandoned()
        t.clock.advance(by: 3600)
        let claimed = try t.store.inbox.claim(limit: 2, workerID: "w").map(\.dedupKey).sorted()
        #expect(claimed == ["a", "b"])
    }

    @Test func theSteadyClockFollowsTheWallClockAndNeverGoesBack() {
        let clock = SteadyClock()
        var last = clock.now()
        #expect(abs(last - Date().timeIntervalSince1970) < 5)
        for _ in 0..<1000 {
            let next = clock.now()
            #expect(next >= last)
            last = next
        }
    }
}
