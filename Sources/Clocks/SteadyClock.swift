import Foundation
import Glibc

/// The daemon's clock: the wall clock read once, when the process first asks, advanced
/// from then on by the monotonic clock (`CLOCK_MONOTONIC`). Close to the wall clock, and
/// never stepped with it: durations measured on it are true durations.
package struct SteadyClock: DaemonClock {
    private static let anchor = (wall: Date().timeIntervalSince1970, monotonic: monotonicSeconds())

    package init() {}

    package func now() -> Double { Self.anchor.wall + (Self.monotonicSeconds() - Self.anchor.monotonic) }

    package func wait(on condition: NSCondition, until deadline: Double?) {
        guard let deadline else {
            condition.wait()
            return
        }
        // NSCondition waits on the wall clock: wait for the duration left, measured here.
        _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, deadline - now())))
    }

    /// Seconds on `CLOCK_MONOTONIC`.
    package static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
