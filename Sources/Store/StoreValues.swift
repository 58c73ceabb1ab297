import Foundation

/// Small named facts the daemon keeps across restarts (`store_values`), such as when
/// Docplanner last pinged, so an operator can read them while the daemon is stopped.
package final class StoreValues: Sendable {
    /// A stored value and when it was written.
    package struct Entry: Sendable, Equatable {
        package let value: String
        package let updatedAt: Date
    }

    /// The time of Docplanner's last ping, as seconds since 1970.
    package static let lastPingKey = "last_ping_at"

    /// Docplanner's pings of the last 24 hours, for the status page (`PingHistory`).
    package static let pingHistoryKey = "ping_history"

    private let writer: GroupCommitWriter
    private let control: ControlConnection
    private let clock: any StoreClock

    init(writer: GroupCommitWriter, control: ControlConnection, clock: any StoreClock) {
        self.writer = writer
        self.control = control
        self.clock = clock
    }

    /// Stores `value` under `key` (replacing what was there) through the group-commit
    /// writer; `completion` runs once it is durable.
    package func set(
        _ key: String, _ value: String, completion: @escaping @Sendable (Result<Void, StoreError>) -> Void = { _ in }
    ) {
        writer.submit(.value(key: key, value: value, at: clock.now(), completion))
    }

    /// Stores `value` under `key` and waits until it is durable.
    package func setAndWait(_ key: String, _ value: String) throws(StoreError) {
        try JobQueue.wait { set(key, value, completion: $0) }
    }

    /// The value under `key`, or nil.
    package func get(_ key: String) throws(StoreError) -> Entry? {
        try control.with { database throws(StoreError) in
            let select = try database.prepare("SELECT value, updated_at FROM store_values WHERE key = ?")
            try select.bind([.text(key)])
            defer { select.reset() }
            guard try select.step() else { return nil }
            return Entry(value: select.text(0) ?? "", updatedAt: Date(timeIntervalSince1970: select.double(1)))
        }
    }

    /// Every value whose key starts with `prefix`, by key.
    package func entries(prefix: String) throws(StoreError) -> [(key: String, entry: Entry)] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                "SELECT key, value, updated_at FROM store_values WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key")
            try select.bind([.text(prefix)])
            defer { select.reset() }
            var result: [(key: String, entry: Entry)] = []
            while try select.step() {
                result.append(
                    (
                        select.text(0) ?? "",
                        Entry(value: select.text(1) ?? "", updatedAt: Date(timeIntervalSince1970: select.double(2)))
                    ))
            }
            return result
        }
    }

    /// A time stored as seconds since 1970 (as `set(_:date:)` writes it), or nil.
    package func date(_ key: String) throws(StoreError) -> Date? {
        try get(key).flatMap { Double($0.value) }.map { Date(timeIntervalSince1970: $0) }
    }

    /// Stores `date` under `key` as seconds since 1970, without waiting.
    package func set(_ key: String, date: Date) {
        set(key, Self.text(of: date))
    }

    /// Stores `date` under `key` as seconds since 1970, and waits until it is durable.
    package func setAndWait(_ key: String, date: Date) throws(StoreError) {
        try setAndWait(key, Self.text(of: date))
    }

    /// A time as stored: seconds since 1970, to the millisecond.
    private static func text(of date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }
}
