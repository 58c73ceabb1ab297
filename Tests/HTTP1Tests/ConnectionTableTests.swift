import Testing

@testable import HTTP1

/// The event loop's connections by id: found by slot without hashing, a stale id never
/// finds the connection that took its slot, ids never collide with the loop's own.
@Suite struct ConnectionTableTests {
    func connection(_ table: inout ConnectionTable) -> Connection {
        let machine = ConnectionStateMachine(settings: .init(ServerConfiguration()), now: 0)
        return Connection(id: table.nextID(), fd: -1, remoteAddress: "127.0.0.1", machine: machine)
    }

    @Test func findsInsertedAndForgetsRemoved() {
        var table = ConnectionTable()
        let a = connection(&table)
        table.insert(a)
        let b = connection(&table)
        table.insert(b)
        let foundA = table[a.id]
        let foundB = table[b.id]
        #expect(foundA === a && foundB === b && table.count == 2)
        let removed = table.remove(a.id)
        let removedAgain = table.remove(a.id)
        #expect(removed && !removedAgain, "removed once")
        let gone = table[a.id]
        let left = table.all.map(\.id)
        #expect(gone == nil && table.count == 1 && left == [b.id])
    }

    @Test func aStaleIDNeverFindsTheConnectionInItsSlot() {
        var table = ConnectionTable()
        let old = connection(&table)
        table.insert(old)
        let removed = table.remove(old.id)
        #expect(removed)
        let new = connection(&table)
        table.insert(new)
        #expect(new.id & 0xFFFF_FFFF == old.id & 0xFFFF_FFFF, "the slot is reused")
        let stale = table[old.id]
        let current = table[new.id]
        #expect(stale == nil && current === new)
    }

    @Test func idsAreNeitherZeroNorListenerIDs() {
        var table = ConnectionTable()
        for _ in 0..<100 {
            let id = table.nextID()
            #expect(id != 0 && id & (1 << 63) == 0)
        }
    }
}
