import Foundation

/// The connection used for claims, outcomes and reads, shared by worker threads one at
/// a time. Writes here take SQLite's write lock like the group-commit writer's; the busy
/// timeout makes them wait for each other.
final class ControlConnection: @unchecked Sendable {
    // @unchecked: `database` is only touched inside `lock`.
    private let lock = NSLock()
    private var database: Connection?

    init(_ database: Connection) { self.database = database }

    func with<T>(_ body: (Connection) throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let database else { throw .closed }
        return try body(database)
    }

    func close() {
        lock.lock()
        database = nil
        lock.unlock()
    }
}
