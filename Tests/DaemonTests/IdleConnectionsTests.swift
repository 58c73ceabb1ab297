import Foundation
import Partner
import SQLite
import Scheduling
import Store
import TestSupport
import Testing

@testable import Daemon

/// The idle sweep closes a clinic's calendar and store reads once a whole turn passed
/// without a use; a use in between keeps them open; the next use opens them again.
@Suite struct IdleConnectionsTests {
    @Test func aTurnWithoutUseClosesTheCalendarAndTheStoreReads() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-idle")
        defer { directory.remove() }
        let connections = OpenConnections(limit: 10)
        let store = try Store(path: directory.file("store.sqlite"), connections: connections)
        defer { store.close() }
        let calendar = try EmbeddedPartner(path: directory.file("calendar.sqlite"), connections: connections)
        let sweep = IdleConnections(connections: connections, scheduler: WorkScheduler(threads: 1, name: "test"))
        #expect(connections.openCount == 2)

        #expect(sweep.sweep() == 0, "the first turn only marks")
        _ = try calendar.hasApplied(eventKey: "k")  // used during the turn
        #expect(sweep.sweep() == 1, "the store's reads were idle for a whole turn")
        #expect(calendar.isOpen)
        #expect(sweep.sweep() == 1, "now the calendar was idle too")
        #expect(!calendar.isOpen && connections.openCount == 0)

        #expect(try store.counts().inbox.pending == 0)  // opens the reads again
        #expect(try !calendar.hasApplied(eventKey: "k"))
        #expect(connections.openCount == 2)
    }
}
