import Foundation
import Synchronization

/// A clock for tests. Time moves only through `advance(by:)`, or — with `autoAdvance` — by
/// jumping straight to any deadline a caller waits for, so nothing really sleeps. The
/// store, the simulator and the client can share one, so leases, backoff, token lifetimes,
/// rate windows, pings and the hourly release are all tested without waiting.
package final class ManualClock: DaemonClock {
    private let current: Mutex<Double>
    package let autoAdvance: Bool

    /// 1_800_000_000 is 2027-01-15T09:00:00+01:00.
    package init(start: Double = 1_800_000_000, autoAdvance: Bool = false) {
        current = Mutex(start)
        self.autoAdvance = autoAdvance
    }

    /// A clock at `start` that moves only when told.
    package convenience init(_ start: Double) { self.init(start: start) }

    package func now() -> Double { current.withLock { $0 } }

    package func advance(by seconds: Double) { current.withLock { $0 += seconds } }

    package func wait(on condition: NSCondition, until deadline: Double?) {
        if autoAdvance, let deadline {
            current.withLock { $0 = max($0, deadline) }
            return
        }
        // Waiters re-check their state; a short real wait notices `advance(by:)` promptly.
        _ = condition.wait(until: Date().addingTimeInterval(0.005))
    }
}
