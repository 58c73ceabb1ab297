import SQLite
import Scheduling
import Sync
import Synchronization

/// Closes the SQLite connections of idle clinics: every `interval` seconds, those of
/// `connections` not used since the previous turn (so one idle for between one and two
/// intervals closes; the next use opens it again, about a millisecond). When any closed,
/// malloc gives the free pages back to the kernel: a closed connection's memory lies among
/// live allocations, below the heap's top, where freeing alone does not return it.
final class IdleConnections: BackgroundPart {
    private let connections: OpenConnections
    private let interval: Double
    private let loop: BackgroundLoop
    private let lastMark = Mutex<UInt64>(0)

    init(connections: OpenConnections = .shared, interval: Double = 30, scheduler: WorkScheduler) {
        self.connections = connections
        self.interval = interval
        loop = BackgroundLoop(scheduler: scheduler)
    }

    func start() {
        loop.start(name: "idle-connections") { [self] in
            sweep()
            return interval
        }
    }

    func stop() { loop.stop() }

    /// Out of the watchdog: a turn only tries the owners' locks, never waits for them, and
    /// the parts that use the connections are watched.
    var heartbeat: UInt64? { nil }

    /// One turn: closes what was not used since the previous one; returns how many it closed.
    @discardableResult
    func sweep() -> Int {
        let since = lastMark.withLock { mark in
            defer { mark = connections.mark() }
            return mark
        }
        let closed = connections.closeUnused(since: since)
        if closed > 0 { MallocArenas.releaseFreeMemory() }
        return closed
    }
}
