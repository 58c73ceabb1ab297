import Foundation
import SQLite

/// The connection used for claims, outcomes and reads, shared by worker threads one at
/// a time. Writes here take SQLite's write lock like the group-commit writer's; the busy
/// timeout makes them wait for each other (on PostgreSQL, row locks do). It may be closed between uses
/// (`OpenConnections`); the next use opens it again.
final class ControlConnection: ReopenableConnection, @unchecked Sendable {
    // @unchecked: `state` is only touched inside `lock`.
    private let lock = NSLock()
    private var state: State
    private let connections: OpenConnections
    private let location: StoreLocation

    private enum State {
        case open(Connection)
        /// Closed between uses.
        case idle
        /// Closed for good (`close()`).
        case closed
    }

    /// Opens a connection to the store at `location` (its schema is the writer's to make).
    init(location: StoreLocation, connections: OpenConnections) throws(StoreError) {
        self.location = location
        self.connections = connections
        state = .open(Connection(try location.open(false)))
        connections.opened(self)
    }

    func with<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let database: Connection
        switch state {
        case .open(let open):
            database = open
            connections.used(self)
        case .idle:
            database = Connection(try location.open(false))
            state = .open(database)
            connections.opened(self)
        case .closed:
            throw .closed
        }
        return try body(database)
    }

    func closeUnlessBusy() -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        guard case .open = state else { return false }
        state = .idle
        connections.closed(self)
        return true
    }

    /// Whether the connection is open now (for tests).
    var isOpen: Bool {
        lock.withLock {
            if case .open = state { return true }
            return false
        }
    }

    deinit { connections.closed(self) }

    func close() {
        lock.lock()
        state = .closed
        lock.unlock()
        connections.closed(self)
    }
}
