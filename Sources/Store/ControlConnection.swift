import Foundation
import SQLite

/// The connection used for claims, outcomes and reads, shared by worker threads one at
/// a time. Writes here take SQLite's write lock like the group-commit writer's; the busy
/// timeout makes them wait for each other. It may be closed between uses
/// (`OpenConnections`); the next use opens it again.
final class ControlConnection: ReopenableConnection, @unchecked Sendable {
    // @unchecked: `state` is only touched inside `lock`.
    private let lock = NSLock()
    private var state: State
    private let connections: OpenConnections
    let path: String

    private enum State {
        case open(Connection)
        /// Closed between uses.
        case idle
        /// Closed for good (`close()`).
        case closed
    }

    /// Opens the store's file at `path` (its schema is the writer's to make).
    init(path: String, connections: OpenConnections) throws(StoreError) {
        self.path = path
        self.connections = connections
        state = .open(try Self.open(path))
        connections.opened(self)
    }

    private static func open(_ path: String) throws(StoreError) -> Connection {
        let database = try Connection(path: path)
        try database.execute("PRAGMA secure_delete = ON")
        return database
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
            database = try Self.open(path)
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
