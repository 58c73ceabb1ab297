@_exported import Clocks

/// Where the client reads the time and how it waits, so that token expiry and rate
/// limiting can be tested without sleeping: the one clock of dpbridge (`DaemonClock`).
package typealias DocplannerClock = DaemonClock

/// The client's clock in the daemon: steady, never stepped with the wall clock.
package typealias DocplannerSystemClock = SteadyClock
