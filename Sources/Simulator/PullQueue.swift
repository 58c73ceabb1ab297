import Foundation
import Synchronization

/// PULL mode's queue: notifications in the order they happened, each handed out once
/// (`GET /notifications` consumes it); those not pulled within 72 hours expire.
final class PullQueue: Sendable {
    private struct Entry {
        var body: Data
        var enqueuedAt: Double
    }

    static let expiry: Double = 72 * 3600
    private let entries = Mutex<[Entry]>([])

    func append(_ body: Data, now: Double) {
        entries.withLock { $0.append(Entry(body: body, enqueuedAt: now)) }
    }

    /// Takes up to `limit` of the oldest notifications; also says how many remain.
    func take(_ limit: Int, now: Double) -> (bodies: [Data], remaining: Int) {
        entries.withLock { entries in
            entries.removeAll { now - $0.enqueuedAt > Self.expiry }
            let taken = entries.prefix(limit).map(\.body)
            entries.removeFirst(taken.count)
            return (taken, entries.count)
        }
    }

    func count(now: Double) -> Int {
        entries.withLock { entries in entries.filter { now - $0.enqueuedAt <= Self.expiry }.count }
    }
}
