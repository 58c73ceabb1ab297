import Foundation
import SQLite
import Synchronization
import Testing

/// `OpenConnections` with stand-in owners: the least recently used idle one closes past
/// the limit, a busy one is passed over, unused ones close at a sweep, released owners
/// are forgotten.
@Suite struct OpenConnectionsTests {
    final class Owner: ReopenableConnection, Sendable {
        let connections: OpenConnections
        let busy = Atomic<Bool>(false)
        let open = Atomic<Bool>(false)

        init(_ connections: OpenConnections) { self.connections = connections }

        func use() {
            if open.exchange(true, ordering: .relaxed) {
                connections.used(self)
            } else {
                connections.opened(self)
            }
        }

        func closeUnlessBusy() -> Bool {
            guard !busy.load(ordering: .relaxed), open.exchange(false, ordering: .relaxed) else { return false }
            connections.closed(self)
            return true
        }
    }

    @Test func pastTheLimitTheLeastRecentlyUsedCloses() {
        let connections = OpenConnections(limit: 3)
        let owners = (0..<4).map { _ in Owner(connections) }
        for owner in owners.prefix(3) { owner.use() }
        owners[0].use()  // now 1 is the least recently used
        owners[3].use()
        #expect(owners.map { $0.open.load(ordering: .relaxed) } == [true, false, true, true])
        #expect(connections.openCount == 3)
    }

    @Test func aBusyOneIsPassedOverAndStaysOpen() {
        let connections = OpenConnections(limit: 1)
        let (a, b) = (Owner(connections), Owner(connections))
        a.use()
        a.busy.store(true, ordering: .relaxed)
        b.use()
        #expect(a.open.load(ordering: .relaxed) && b.open.load(ordering: .relaxed))
        #expect(connections.openCount == 2)
        a.busy.store(false, ordering: .relaxed)
        #expect(connections.closeUnused(since: connections.mark()) == 2)
        #expect(connections.openCount == 0)
    }

    @Test func aSweepClosesOnlyWhatWasNotUsedSinceTheMark() {
        let connections = OpenConnections(limit: 10)
        let (a, b) = (Owner(connections), Owner(connections))
        a.use()
        b.use()
        let mark = connections.mark()
        b.use()
        #expect(connections.closeUnused(since: mark) == 1)
        #expect(!a.open.load(ordering: .relaxed) && b.open.load(ordering: .relaxed))
        a.use()  // opened again
        #expect(connections.openCount == 2)
    }

    @Test func anOwnerReleasedWhileOpenWithoutSayingSoIsForgottenWhenRoomIsNeeded() {
        let connections = OpenConnections(limit: 1)
        do {
            let transient = Owner(connections)
            transient.use()
        }
        let kept = Owner(connections)
        kept.use()
        #expect(connections.openCount == 1)
    }
}
