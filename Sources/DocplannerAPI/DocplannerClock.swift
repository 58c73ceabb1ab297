import Foundation

/// Where the client reads the time and how it waits, so that token expiry and rate limiting
/// can be tested without sleeping.
public protocol DocplannerClock: Sendable {
    /// Seconds since 1970.
    func now() -> Double
    /// Called with `condition` locked: waits until `deadline` (on this clock; nil: no
    /// deadline) or until the condition is signalled, and returns with it locked. It may
    /// return early; callers re-check their state.
    func wait(on condition: NSCondition, until deadline: Double?)
}

/// The real clock.
public struct DocplannerSystemClock: DocplannerClock {
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func wait(on condition: NSCondition, until deadline: Double?) {
        if let deadline {
            _ = condition.wait(until: Date(timeIntervalSince1970: deadline))
        } else {
            condition.wait()
        }
    }
}
