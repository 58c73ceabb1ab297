import Foundation
import Postgres
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing

/// `PostgresGroupCommit`: enqueues from many threads are all stored once and completed
/// once; a stopped writer commits what was pending and refuses the rest.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct PostgresGroupCommitTests {
    @Test func concurrentEnqueuesAreStoredOnceAndCompletedOnce() throws {
        let queue = try PostgresQueue(.inbox, connection: try testPostgresConnection(schema: newTestSchema("g")))
        let writer = PostgresGroupCommit(queue: queue, maxBatch: 16)
        let outcomes = Mutex<[String: [EnqueueOutcome]]>([:])
        let group = DispatchGroup()
        // 32 threads × 10 events, each event sent twice (a re-send of Docplanner's).
        DispatchQueue.concurrentPerform(iterations: 32) { thread in
            for index in 0..<10 {
                for _ in 0..<2 {
                    let key = "e-\(thread)-\(index)"
                    group.enter()
                    writer.enqueue(InboxItem(body: [1, 2, 3], dedupKey: key, eventName: "slot-booked")) { result in
                        if case .success(let outcome) = result {
                            outcomes.withLock { $0[key, default: []].append(outcome) }
                        }
                        group.leave()
                    }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        writer.stop()
        let all = outcomes.withLock { $0 }
        #expect(all.count == 320)
        #expect(all.values.allSatisfy { $0.count == 2 && $0.filter(\.isDuplicate).count == 1 && $0[0].id == $0[1].id })
        #expect(try queue.counts().pending == 320)
        // Stopped: refused at once, nothing stored.
        let refused = Mutex<StoreError?>(nil)
        writer.enqueue(InboxItem(body: [], dedupKey: "late", eventName: "x")) { result in
            if case .failure(let error) = result { refused.withLock { $0 = error } }
        }
        #expect(refused.withLock { $0 } == .closed)
        #expect(try queue.counts().pending == 320)
    }
}
