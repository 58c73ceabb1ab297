import Foundation
import Store
import Synchronization
import TestSupport
import Testing

/// `Store(commitDelay:)`: a write to an idle store is committed at once; one that comes
/// right after a commit (writes keep coming) waits for others first.
@Suite struct CommitDelayTests {
    private func item(_ key: String) -> InboxItem { InboxItem(body: [], dedupKey: key, eventName: "x") }

    /// Whether the write `key`, submitted now, is still uncommitted half a second later;
    /// waits until it is committed.
    private func waitsAfterSubmit(_ store: Store, _ key: String) throws -> Bool {
        let done = Atomic<Bool>(false)
        store.inbox.enqueue(item(key)) { _ in done.store(true, ordering: .releasing) }
        usleep(500_000)
        let waited = !done.load(ordering: .acquiring)
        var polls = 0
        while !done.load(ordering: .acquiring) && polls < 400 {
            usleep(10_000)
            polls += 1
        }
        let committed = done.load(ordering: .acquiring)
        #expect(committed)
        return waited
    }

    @Test func aWriteRightAfterACommitWaitsAndOneToAnIdleStoreDoesNot() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-commit-delay")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"), commitDelay: 2)
        defer { store.close() }
        // Right after a commit: the write waits (a stalled machine may miss the 10 ms after
        // a commit that count as busy; a few tries tell the rule from chance).
        var delayed = false
        for attempt in 0..<4 where !delayed {
            _ = try store.inbox.enqueueAndWait(item("first-\(attempt)"))
            delayed = try waitsAfterSubmit(store, "second-\(attempt)")
        }
        #expect(delayed, "a write right after a commit waits for others")
        // After a quiet moment the store is idle: the next write is committed at once.
        usleep(100_000)
        #expect(try !waitsAfterSubmit(store, "alone"))
        #expect(try store.counts().inbox.pending >= 3)
    }

    @Test func aDecisionIsCommittedAtOnceWithTheWritesWaitingBeforeIt() throws {
        // With a minute of commit delay, a write right after a commit waits; a decision
        // (Docplanner awaits the answer it records) does not, and takes it along.
        let directory = try TemporaryDirectory(prefix: "dpbridge-commit-delay")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"), commitDelay: 60)
        defer { store.close() }
        let write = Atomic<Bool>(false)
        let decision = Atomic<Bool>(false)
        var delayed = false
        for attempt in 0..<4 where !delayed {
            _ = try store.inbox.enqueueAndWait(item("first-\(attempt)"))
            store.inbox.enqueue(item("second-\(attempt)")) { _ in write.store(true, ordering: .releasing) }
            usleep(200_000)
            delayed = !write.load(ordering: .acquiring)
        }
        #expect(delayed, "a write right after a commit waits for others")
        store.decisions.record(
            DecisionRecord(
                decidedAt: Date(), eventName: "slot-booking", eventKey: "k", doctorID: "1", addressID: "2",
                startAt: nil, approved: true, errorCode: nil, reason: "free", elapsedMilliseconds: 1)
        ) { _ in decision.store(true, ordering: .releasing) }
        var polls = 0
        while !(decision.load(ordering: .acquiring) && write.load(ordering: .acquiring)) && polls < 1000 {
            usleep(10_000)
            polls += 1
        }
        let decided = decision.load(ordering: .acquiring)
        let written = write.load(ordering: .acquiring)
        #expect(decided, "the decision is committed within seconds, not a minute")
        #expect(written, "the write waiting before it went in the same commit")
    }
}
