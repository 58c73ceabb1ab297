@_exported import Clocks

/// Where the store reads the time (seconds since 1970), so leases and backoff can be
/// tested: the one clock of dpbridge (`DaemonClock`).
package typealias StoreClock = DaemonClock

/// The store's clock in the daemon: steady, never stepped with the wall clock.
package typealias SystemClock = SteadyClock
