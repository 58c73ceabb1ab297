import Foundation
import Logging
import Store
import TestSupport
import Testing

@testable import Daemon

/// The store's health as `/health` and the ping see it: a file system without the
/// reserve, or a failed probe write, makes the daemon refuse events until it clears.
@Suite struct StoreWatchTests {
    @Test func aFullFileSystemIsTroubleAndAGoodProbeClearsIt() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-storewatch")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        let store = try Store(path: path)
        defer { store.close() }
        let health = DaemonHealth()
        let free = try #require(StoreWatch.freeBytes(directory.path))

        // More room wanted than the file system has: the daemon is full.
        let full = StoreWatch(
            store: store, storePath: path, reserveBytes: free + (1 << 40), health: health, logger: Logger(label: "test")
        )
        let problem = try #require(full.check())
        #expect(problem.contains("free on the store's file system"))
        health.recordStoreProblem(problem)
        #expect(!health.canAcceptEvents)

        // Room again: the probe writes, and health comes back by itself, also after a
        // failed event write.
        health.recordStoreResult(success: false)
        let roomy = StoreWatch(
            store: store, storePath: path, reserveBytes: 1, health: health, logger: Logger(label: "test"))
        #expect(roomy.check() == nil)
        health.recordStoreProblem(nil)
        #expect(health.canAcceptEvents)
        #expect(try store.values.date(StoreWatch.probeKey) != nil)
    }

    /// A store that committed lately takes writes: no probe (an fsync per clinic) is
    /// written until it has been quiet for the probe interval.
    @Test func aStoreThatCommittedLatelyIsNotProbed() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-storewatch")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        let store = try Store(path: path)
        defer { store.close() }
        let quiet = StoreWatch(
            store: store, storePath: path, reserveBytes: 1, health: DaemonHealth(), logger: Logger(label: "test"),
            probeInterval: 300)
        #expect(!store.committed(within: 300), "a new store has committed nothing")
        #expect(quiet.check() == nil)
        #expect(try store.values.get(StoreWatch.probeKey) != nil, "nothing committed yet: probed")

        try store.values.setAndWait("other", "x")
        try store.values.setAndWait(StoreWatch.probeKey, "marker")
        #expect(store.committed(within: 300))
        #expect(quiet.check() == nil)
        #expect(try store.values.get(StoreWatch.probeKey)?.value == "marker", "committed lately: not probed")

        let eager = StoreWatch(
            store: store, storePath: path, reserveBytes: 1, health: DaemonHealth(), logger: Logger(label: "test"),
            probeInterval: 0)
        #expect(eager.check() == nil)
        #expect(try store.values.get(StoreWatch.probeKey)?.value != "marker", "quiet for the interval: probed")
    }
}
