import Foundation

/// Bodies that reached the callback URL with the right secret but could not be parsed.
/// Kept (the newest `limit`, for `RetentionPolicy.quarantine` at most) so nothing
/// authenticated is thrown away unseen; `dpbridge quarantine` lists, shows and purges them.
package final class Quarantine: Sendable {
    /// A quarantined body.
    package struct Entry: Sendable, Equatable {
        package let id: Int64
        package let receivedAt: Date
        package let source: String
        package let reason: String
        package let body: [UInt8]
    }

    private let writer: GroupCommitWriter
    private let control: ControlConnection
    private let clock: any StoreClock

    init(writer: GroupCommitWriter, control: ControlConnection, clock: any StoreClock) {
        self.writer = writer
        self.control = control
        self.clock = clock
    }

    /// Stores `body`; `completion` runs once it is durable.
    package func add(
        body: [UInt8], reason: String, sourceAddress: String,
        completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void
    ) {
        writer.submit(
            .quarantine(body: body, reason: reason, source: sourceAddress, receivedAt: clock.now(), completion))
    }

    /// Stores `body` and waits until it is durable.
    @discardableResult
    package func addAndWait(body: [UInt8], reason: String, sourceAddress: String) throws(StoreError) -> Int64 {
        try JobQueue.wait { add(body: body, reason: reason, sourceAddress: sourceAddress, completion: $0) }
    }

    /// The newest entries first.
    package func list(limit: Int = 100) throws(StoreError) -> [Entry] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                "SELECT id, received_at, source, reason, body FROM quarantine ORDER BY id DESC LIMIT ?")
            try select.bind([.integer(Int64(limit))])
            defer { select.reset() }
            var entries: [Entry] = []
            while try select.step() { entries.append(Self.entry(select)) }
            return entries
        }
    }

    /// How many bodies are kept.
    package func count() throws(StoreError) -> Int {
        try control.with { database throws(StoreError) in Int(try database.scalar("SELECT count(*) FROM quarantine")) }
    }

    /// The entry `id`, or nil when there is none.
    package func entry(id: Int64) throws(StoreError) -> Entry? {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                "SELECT id, received_at, source, reason, body FROM quarantine WHERE id = ?")
            try select.bind([.integer(id)])
            defer { select.reset() }
            return try select.step() ? Self.entry(select) : nil
        }
    }

    /// Deletes the entries `ids`, all or none: an unknown id deletes nothing and is thrown
    /// (`.noSuchQuarantined`).
    package func purge(ids: [Int64]) throws(StoreError) {
        try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                let delete = try database.prepare("DELETE FROM quarantine WHERE id = ?")
                for id in ids {
                    try delete.run([.integer(id)])
                    if database.changes != 1 { throw .noSuchQuarantined(id) }
                }
            }
        }
    }

    /// Deletes every entry; their ids, oldest first.
    @discardableResult
    package func purgeAll() throws(StoreError) -> [Int64] {
        try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) -> [Int64] in
                let select = try database.prepare("SELECT id FROM quarantine ORDER BY id")
                var ids: [Int64] = []
                while try select.step() { ids.append(select.int64(0)) }
                select.reset()
                try database.execute("DELETE FROM quarantine")
                return ids
            }
        }
    }

    private static func entry(_ row: PreparedStatement) -> Entry {
        Entry(
            id: row.int64(0), receivedAt: Date(timeIntervalSince1970: row.double(1)), source: row.text(2) ?? "",
            reason: row.text(3) ?? "", body: row.blob(4))
    }
}
