import Clocks
import Foundation
import Postgres
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing

/// Where a queue under test keeps its jobs.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a server is there (`make test` starts one).
    static var available: [Backend] { testServerURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// The inbox of one store on either backend, as the contract uses it.
final class QueueUnderTest: @unchecked Sendable {
    // @unchecked: set in init (and `secondClaimer`, before threads start), then only read.
    let clock = ManualClock()
    private var stores: [Store] = []
    private var directory: TemporaryDirectory?
    private let location: StoreLocation
    private let retryPolicy: RetryPolicy
    let backend: Backend

    init(_ backend: Backend, retryPolicy: RetryPolicy = RetryPolicy()) throws {
        self.backend = backend
        self.retryPolicy = retryPolicy
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "dpbridge-contract")
            self.directory = directory
            location = .sqlite(path: directory.file("store.sqlite"))
        case .postgres:
            location = .postgres(PostgresEndpoint(url: testServerURL!, schema: newTestSchema("q")))
        }
        stores = [try Store(location: location, clock: clock, retryPolicy: retryPolicy)]
    }

    private var inbox: JobQueue { stores[0].inbox }

    /// Another claimer of the same queue: on PostgreSQL another store on the same schema,
    /// as another instance would have (its own connections); in SQLite the same store
    /// (one process owns the file).
    func secondClaimer() throws -> @Sendable (Int) throws -> [Job] {
        let second: Store
        switch backend {
        case .sqlite: second = stores[0]
        case .postgres:
            second = try Store(location: location, clock: clock, retryPolicy: retryPolicy)
            stores.append(second)
        }
        let inbox = second.inbox
        return { limit in try inbox.claim(limit: limit, lease: 30, workerID: "second") }
    }

    deinit {
        for store in stores { store.close() }
        directory?.remove()
    }

    func enqueue(_ items: [InboxItem]) throws -> [EnqueueOutcome] { try enqueueResults(items).map { try $0.get() } }

    /// Through the store's group commit: one result per item.
    func enqueueResults(_ items: [InboxItem]) -> [Result<EnqueueOutcome, StoreError>] { inbox.enqueueAndWait(items) }

    func claim(limit: Int = 10, lease: Double = 30) throws -> [Job] {
        try inbox.claim(limit: limit, lease: lease, workerID: "first")
    }

    @discardableResult
    func finish(_ outcomes: [(job: Job, resolution: JobQueue.Resolution)]) throws -> [Bool] {
        try inbox.finish(outcomes)
    }

    func counts() throws -> StoreCounts.Queue { try stores[0].counts().inbox }

    func replay(_ id: Int64) throws { try inbox.replay(deadLetter: id) }
}

private func item(_ key: String, order: String? = nil) -> InboxItem {
    InboxItem(body: Array("{\"k\":\"\(key)\"}".utf8), dedupKey: key, eventName: "slot-booked", orderingKey: order)
}

/// One suite, run against each backend: what the daemon relies on from its store's queues
/// (issue 18: "the inbox/outbox semantics hold on both").
@Suite struct QueueContractTests {
    @Test(arguments: Backend.available)
    func anEventIsStoredOncePerIdentity(_ backend: Backend) throws {
        let queue = try QueueUnderTest(backend)
        let first = try queue.enqueue([item("a"), item("b"), item("a")])
        #expect(first.map(\.isDuplicate) == [false, false, true])
        #expect(first[2].id == first[0].id)
        let again = try queue.enqueue([item("b")])
        #expect(again == [EnqueueOutcome(id: first[1].id, isDuplicate: true, replaced: 0)])
        #expect(try queue.counts().pending == 2)
        let jobs = try queue.claim()
        #expect(jobs.map(\.dedupKey) == ["a", "b"])
        #expect(jobs.first?.payload == Array(#"{"k":"a"}"#.utf8))
    }

    @Test(arguments: Backend.available)
    func concurrentAcknowledgementsAreStoredOnceEach(_ backend: Backend) throws {
        let queue = try QueueUnderTest(backend)
        let outcomes = Mutex<[String: [EnqueueOutcome]]>([:])
        // 16 threads × 10 events, each sent twice (a re-send of Docplanner's), through the
        // group commit at once.
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            let items = (0..<10).flatMap { index in [item("e-\(thread)-\(index)"), item("e-\(thread)-\(index)")] }
            for (item, result) in zip(items, queue.enqueueResults(items)) {
                if case .success(let outcome) = result {
                    outcomes.withLock { $0[item.dedupKey, default: []].append(outcome) }
                }
            }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.count == 160)
        #expect(all.values.allSatisfy { $0.count == 2 && $0.filter(\.isDuplicate).count == 1 && $0[0].id == $0[1].id })
        #expect(try queue.counts().pending == 160)
    }

    @Test(arguments: Backend.available)
    func eventsOfOneKeyAreHandedOutInOrder(_ backend: Backend) throws {
        let queue = try QueueUnderTest(backend)
        _ = try queue.enqueue([item("a1", order: "booking:1"), item("a2", order: "booking:1"), item("b1", order: "b")])
        let first = try queue.claim()
        #expect(first.map(\.dedupKey) == ["a1", "b1"])
        #expect(try queue.claim().isEmpty, "a2 waits while a1 is held")
        try queue.finish(first.map { ($0, .complete) })
        #expect(try queue.claim().map(\.dedupKey) == ["a2"])
    }

    @Test(arguments: Backend.available)
    func aLeaseThatRunsOutFreesTheJobAndCountsTheAttempt(_ backend: Backend) throws {
        let queue = try QueueUnderTest(backend)
        _ = try queue.enqueue([item("a")])
        let held = try #require(try queue.claim(lease: 30).first)
        #expect(held.attempts == 0)
        #expect(try queue.claim().isEmpty)
        queue.clock.advance(by: 31)
        let again = try #require(try queue.claim().first)
        #expect(again.id == held.id && again.attempts == 1 && again.leaseToken != held.leaseToken)
        #expect(try queue.finish([(held, .complete)]) == [false], "the old lease is lost")
        #expect(try queue.finish([(again, .complete)]) == [true])
        #expect(try queue.counts().done == 1)
    }

    @Test(arguments: Backend.available)
    func retriesBackOffThenTheJobIsADeadLetterUntilReplayed(_ backend: Backend) throws {
        let queue = try QueueUnderTest(
            backend, retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: 10, maxDelay: 10))
        _ = try queue.enqueue([item("a")])
        for attempt in 0..<2 {
            let job = try #require(try queue.claim().first)
            #expect(job.attempts == attempt)
            #expect(try queue.finish([(job, .retry(error: "partner down", notBefore: nil))]) == [true])
            #expect(try queue.claim().isEmpty, "not due before its backoff")
            queue.clock.advance(by: 11)
        }
        let last = try #require(try queue.claim().first)
        try queue.finish([(last, .retry(error: "partner down", notBefore: nil))])
        let counts = try queue.counts()
        #expect(counts.dead == 1 && counts.pending == 0 && counts.retrying == 0)
        #expect(try queue.claim().isEmpty)
        try queue.replay(last.id)
        #expect(try queue.claim().map(\.dedupKey) == ["a"])
        #expect(throws: StoreError.self) { try queue.replay(last.id) }
        #expect(throws: StoreError.noSuchJob(999_999)) { try queue.replay(999_999) }
    }

    @Test(arguments: Backend.available)
    func twoClaimersAtOnceNeverHoldTheSameJob(_ backend: Backend) throws {
        let queue = try QueueUnderTest(backend)
        _ = try queue.enqueue((0..<200).map { item("j\($0)", order: $0 % 7 == 0 ? "shared" : nil) })
        let second = try queue.secondClaimer()
        let taken = Mutex<[String: Int]>([:])
        let failures = Mutex<[String]>([])
        // Two threads, each claiming five at a time and finishing them, until all are done.
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for _ in 0..<400 {
                do {
                    let jobs = index == 0 ? try queue.claim(limit: 5) : try second(5)
                    if jobs.isEmpty, (try? queue.counts().done) == 200 { break }
                    taken.withLock { for job in jobs { $0[job.dedupKey, default: 0] += 1 } }
                    try queue.finish(jobs.map { ($0, .complete) })
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let counts = taken.withLock { $0 }
        #expect(counts.count == 200 && counts.values.allSatisfy { $0 == 1 })
        #expect(try queue.counts().done == 200)
    }
}
