import Foundation
import Synchronization

/// Keeps a flood of alike log lines (refused callbacks, a scan of the callback URL) from
/// drowning the journal: per key, at most `burst` lines in each `interval` seconds; what
/// is held back is counted and reported with the next line let through. The metrics still
/// count every request.
final class LogThrottle: Sendable {
    private let burst: Int
    private let interval: Double
    private let state = Mutex<[String: (windowStart: Double, logged: Int, suppressed: Int)]>([:])

    init(burst: Int = 5, interval: Double = 10) {
        self.burst = burst
        self.interval = interval
    }

    /// Whether a line of `key` may be logged now, and how many were held back before it.
    func admit(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> (log: Bool, suppressed: Int) {
        state.withLock { entries in
            var entry = entries[key] ?? (now, 0, 0)
            if now - entry.windowStart >= interval { entry = (now, 0, entry.suppressed) }
            guard entry.logged < burst else {
                entry.suppressed += 1
                entries[key] = entry
                return (false, 0)
            }
            let suppressed = entry.suppressed
            entry.logged += 1
            entry.suppressed = 0
            entries[key] = entry
            return (true, suppressed)
        }
    }
}
