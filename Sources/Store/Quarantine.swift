import Foundation

/// Bodies that reached the callback URL with the right secret but could not be parsed.
/// Kept (the newest `limit`) so nothing authenticated is thrown away.
public final class Quarantine: Sendable {
    /// A quarantined body.
    public struct Entry: Sendable, Equatable {
        public let id: Int64
        public let receivedAt: Date
        public let source: String
        public let reason: String
        public let body: [UInt8]
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
    public func add(
        body: [UInt8], reason: String, sourceAddress: String,
        completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void
    ) {
        writer.submit(.quarantine(body: body, reason: reason, source: sourceAddress, receivedAt: clock.now(), completion))
    }

    /// Stores `body` and waits until it is durable.
    @discardableResult
    public func addAndWait(body: [UInt8], reason: String, sourceAddress: String) throws(StoreError) -> Int64 {
        try JobQueue.wait { add(body: body, reason: reason, sourceAddress: sourceAddress, completion: $0) }
    }

    /// The newest entries first.
    public func list(limit: Int = 100) throws(StoreError) -> [Entry] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                "SELECT id, received_at, source, reason, body FROM quarantine ORDER BY id DESC LIMIT ?")
            try select.bind([.integer(Int64(limit))])
            var entries: [Entry] = []
            while try select.step() {
                entries.append(Entry(
                    id: select.int64(0), receivedAt: Date(timeIntervalSince1970: select.double(1)),
                    source: select.text(2) ?? "", reason: select.text(3) ?? "", body: select.blob(4)))
            }
            return entries
        }
    }
}
