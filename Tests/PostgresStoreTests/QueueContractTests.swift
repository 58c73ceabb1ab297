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
    // @unchecked: set in init, then only read; each backend's queue is thread-safe.
    let clock = ManualClock()
    private var store: Store?
    private var directory: TemporaryDirectory?
    private var postgres: [PostgresQueue] = []
    private let schema = newTestSchema("q")
    let backend: Backend

    init(_ backend: Backend, retryPolicy: RetryPolicy = RetryPolicy()) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "dpbridge-contract")
            self.directory = directory
            store = try Store(path: directory.file("store.sqlite"), clock: clock, retryPolicy: retryPolicy)
        case .postgres:
            postgres = [try Self.postgresQueue(schema: schema, clock: clock, retryPolicy: retryPolicy)]
        }
    }

    private static func postgresQueue(
        schema: String, clock: ManualClock, retryPolicy: RetryPolicy
    ) throws -> PostgresQueue {
        try PostgresQueue(
            .inbox, connection: try testPostgresConnection(schema: schema), clock: clock, retryPolicy: retryPolicy)
    }

    /// Another claimer of the same queue: on PostgreSQL another connection, as another
    /// instance would have.
    func secondClaimer() throws -> @Sendable (Int) throws -> [Job] {
        switch backend {
        case .sqlite:
            let inbox = store!.inbox
            return { limit in try inbox.claim(limit: limit, lease: 30, workerID: "second") }
        case .postgres:
            let queue = try Self.postgresQueue(schema: schema, clock: clock, retryPolicy: postgres[0].retryPolicy)
            postgres.append(queue)
            return { limit in try queue.claim(limit: limit, lease: 30, workerID: "second") }
        }
    }

    deinit {
        store?.close()
        directory?.remove()
    }

    func enqueue(_ items: [InboxItem]) throws -> [EnqueueOutcome] {
        switch backend {
        case .sqlite: try store!.inbox.enqueueAndWait(items).map { try $0.get() }
        case .postgres: try postgres[0].enqueue(items)
        }
    }

    func claim(limit: Int = 10, lease: Double = 30) throws -> [Job] {
        switch backend {
        case .sqlite: try store!.inbox.claim(limit: limit, lease: lease, workerID: "first")
        case .postgres: try postgres[0].claim(limit: limit, lease: lease, workerID: "first")
        }
    }

    @discardableResult
    func finish(_ outcomes: [(job: Job, resolution: JobQueue.Resolution)]) throws -> [Bool] {
        switch backend {
        case .sqlite: try store!.inbox.finish(outcomes)
        case .postgres: try postgres[0].finish(outcomes)
        }
    }

    func counts() throws -> StoreCounts.Queue {
        switch backend {
        case .sqlite: try store!.counts().inbox
        case .postgres: try postgres[0].counts()
        }
    }

    func replay(_ id: Int64) throws {
        switch backend {
        case .sqlite: try store!.inbox.replay(deadLetter: id)
        case .postgres: try postgres[0].replay(deadLetter: id)
        }
    }
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
