import Foundation

/// Where dpbridge reads the time and how it waits: one clock for every part, injected, so
/// that leases, backoff, rate-limit windows, token expiry and timers are tested without
/// sleeping (`ManualClock`) and run on `SteadyClock` in the daemon.
///
/// `now()` is seconds since 1970. On `SteadyClock` it never jumps while the process runs,
/// so a step of the system clock (NTP, an operator) neither doubles work (a lease that
/// seems expired) nor stalls it (a backoff that seems an hour long).
package protocol DaemonClock: Sendable {
    /// Seconds since 1970.
    func now() -> Double
    /// Called with `condition` locked: waits until `deadline` (on this clock; nil: no
    /// deadline) or until the condition is signalled, and returns with it locked. It may
    /// return early; callers re-check their state.
    func wait(on condition: NSCondition, until deadline: Double?)
}

extension DaemonClock {
    /// `now()` as a `Date`.
    package func date() -> Date { Date(timeIntervalSince1970: now()) }
}
