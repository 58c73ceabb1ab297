import Foundation
import Synchronization

/// Where the store reads the time (seconds since 1970), so leases and backoff can be tested.
public protocol StoreClock: Sendable {
    func now() -> Double
}

/// The real wall clock.
public struct SystemClock: StoreClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to; for tests.
public final class ManualClock: StoreClock {
    private let current: Mutex<Double>

    public init(_ start: Double = 1_800_000_000) { current = Mutex(start) }
    public func now() -> Double { current.withLock { $0 } }
    public func advance(by seconds: Double) { current.withLock { $0 += seconds } }
}
