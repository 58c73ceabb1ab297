import DocplannerAPI
import Foundation
import Synchronization

/// A clock for tests. Time moves only through `advance(by:)`, or — with `autoAdvance` — by
/// jumping straight to any deadline a caller waits for, so nothing really sleeps.
final class TestClock: DocplannerClock {
    private let current: Mutex<Double>
    let autoAdvance: Bool

    init(start: Double = 1_800_000_000, autoAdvance: Bool = false) {
        current = Mutex(start)
        self.autoAdvance = autoAdvance
    }

    func now() -> Double { current.withLock { $0 } }

    func advance(by seconds: Double) { current.withLock { $0 += seconds } }

    func wait(on condition: NSCondition, until deadline: Double?) {
        if autoAdvance, let deadline {
            current.withLock { $0 = max($0, deadline) }
            return
        }
        // Waiters re-check their state; a short real wait notices `advance(by:)` promptly.
        _ = condition.wait(until: Date().addingTimeInterval(0.005))
    }
}
