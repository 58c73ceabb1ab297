import Foundation
import Synchronization

/// Docplanner's pings of the last 24 hours, for the status page's strip. Kept in memory,
/// seeded from the store at start (`StoreValues.pingHistoryKey`, or the last ping alone
/// when a store has no history yet) and handed back to it with the last ping
/// (`DaemonHealth.keepPing`).
///
/// Bounded whatever arrives: a ping less than `minimumSpacing` after the one recorded
/// before is not recorded again (Docplanner pings every 5 minutes; a flood of pings, or a
/// monitor pinging every second, adds one mark a minute), so at most `capacity` times are
/// held. Pings older than the window go, except the newest of them (the anchor): a silence
/// that began before the window shows from the window's start.
final class PingHistory: Sendable {
    /// How far back the history reaches (seconds).
    static let window: Int64 = 86_400
    /// The least time between two recorded pings (seconds).
    static let minimumSpacing: Int64 = 60
    /// The most times held: the window's worth at the minimum spacing (both ends), and the anchor.
    static let capacity = Int(window / minimumSpacing) + 2

    /// Seconds since 1970, ascending.
    private let times: Mutex<[Int64]>
    /// The newest of `times` (`Int64.min` when empty), read without the lock: most pings
    /// come within `minimumSpacing` of it (a load balancer's health checks, a benchmark)
    /// and are not recorded.
    private let newest: Atomic<Int64>

    /// A history holding `seconds` (seconds since 1970, any order; beyond `capacity`, the newest).
    init(seconds: [Int64] = []) {
        var spaced: [Int64] = []
        for time in seconds.sorted() where spaced.last.map({ time - $0 >= Self.minimumSpacing }) ?? true {
            spaced.append(time)
        }
        times = Mutex(Array(spaced.suffix(Self.capacity)))
        newest = Atomic(spaced.last ?? .min)
    }

    /// The history kept in the store (`encoded`), with `lastPing` (the store's last ping)
    /// added when the history lacks it. Text that cannot be read counts as none.
    convenience init(encoded: String?, lastPing: Date?) {
        var seconds = encoded.flatMap(Self.decode) ?? []
        if let lastPing { seconds.append(Int64(lastPing.timeIntervalSince1970.rounded(.down))) }
        self.init(seconds: seconds)
    }

    /// Notes a ping at `date`; false when it came within `minimumSpacing` of the last one
    /// recorded (and was not recorded).
    @discardableResult
    func record(_ date: Date) -> Bool {
        let time = Int64(date.timeIntervalSince1970.rounded(.down))
        let last = newest.load(ordering: .relaxed)
        if last != .min && time >= last && time - last < Self.minimumSpacing { return false }
        return times.withLock { times in
            defer { newest.store(times.last ?? .min, ordering: .relaxed) }
            if let last = times.last {
                if time < last {
                    // The wall clock stepped back: what lies after `time` has not happened yet.
                    times.removeAll { $0 > time - Self.minimumSpacing }
                } else if time - last < Self.minimumSpacing {
                    return false
                }
            }
            times.append(time)
            // Older than the window: all but the newest of them (the anchor) go.
            let windowStart = time - Self.window
            if let firstInside = times.firstIndex(where: { $0 >= windowStart }), firstInside > 1 {
                times.removeFirst(firstInside - 1)
            }
            if times.count > Self.capacity { times.removeFirst(times.count - Self.capacity) }
            return true
        }
    }

    /// The pings recorded, oldest first.
    var pings: [Date] { times.withLock { $0 }.map { Date(timeIntervalSince1970: Double($0)) } }

    /// How many times are held.
    var count: Int { times.withLock { $0.count } }

    /// The history as the store keeps it: `v1:` then the first time (seconds since 1970) and
    /// each next one as the seconds after the one before, comma-separated (`v1:1767261600,300,301`),
    /// about 4 bytes a ping.
    var encoded: String {
        let times = times.withLock { $0 }
        guard let first = times.first else { return "v1:" }
        var parts = [String(first)]
        parts.reserveCapacity(times.count)
        for index in times.indices.dropFirst() { parts.append(String(times[index] - times[index - 1])) }
        return "v1:" + parts.joined(separator: ",")
    }

    /// The times of `encoded` text; nil when it is not such text.
    static func decode(_ text: String) -> [Int64]? {
        guard text.hasPrefix("v1:") else { return nil }
        let body = text.dropFirst(3)
        guard !body.isEmpty else { return [] }
        var result: [Int64] = []
        for (index, part) in body.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            guard let value = Int64(part), index == 0 || value >= 0, result.count < capacity * 2 else { return nil }
            result.append(index == 0 ? value : result[index - 1] &+ value)
        }
        return result
    }
}
