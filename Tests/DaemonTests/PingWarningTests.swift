import Foundation
import Testing

@testable import Daemon

/// Docplanner pings every 5 minutes and raises an alert after three failures: the daemon
/// warns once pings have been missing for the configured time.
@Suite struct PingWarningTests {
    @Test func warnsAfterTheSilenceLimitCountedFromStartOrTheLastPing() {
        let health = DaemonHealth(pingSilenceLimit: 900)
        let start = health.startedAt
        #expect(health.pingWarning(now: start.addingTimeInterval(899)) == nil)
        let atStart = health.pingWarning(now: start.addingTimeInterval(901))
        #expect(atStart?.contains("since start") == true, "\(atStart ?? "nil")")

        health.recordPing()
        let pinged = health.lastPing!
        #expect(health.pingWarning(now: pinged.addingTimeInterval(600)) == nil)
        let silent = health.pingWarning(now: pinged.addingTimeInterval(16 * 60))
        #expect(silent == "no ping from Docplanner for 16 min: it cannot reach the callback URL")
    }

    @Test func theLastPingFromBeforeStartIsShownButTheSilenceCountsFromStart() {
        let before = Date().addingTimeInterval(-7200)
        let health = DaemonHealth(pingSilenceLimit: 900, lastPingBeforeStart: before)
        #expect(health.lastPing == before)
        #expect(health.pingWarning(now: health.startedAt.addingTimeInterval(60)) == nil)
        #expect(health.pingWarning(now: health.startedAt.addingTimeInterval(901))?.contains("since start") == true)
        health.recordPing()
        #expect(health.lastPing! > before)
    }

    @Test func aStoppedDaemonWarnsFromTheStoredPing() {
        let now = Date()
        #expect(DaemonHealth.stoppedPingWarning(lastPing: now.addingTimeInterval(-60), limit: 900, now: now) == nil)
        #expect(
            DaemonHealth.stoppedPingWarning(lastPing: now.addingTimeInterval(-1200), limit: 900, now: now)
                == "no ping from Docplanner for 20 min, and the daemon is stopped")
        #expect(DaemonHealth.stoppedPingWarning(lastPing: nil, limit: 900, now: now)?.contains("no ping") == true)
        #expect(DaemonHealth.stoppedPingWarning(lastPing: nil, limit: nil, now: now) == nil)
    }

    @Test func pullModeExpectsNoPings() {
        let health = DaemonHealth(pingSilenceLimit: nil)
        #expect(health.pingWarning(now: health.startedAt.addingTimeInterval(86_400)) == nil)
    }

    /// Every ping would otherwise be a disk write: a flood of pings (or a monitor pinging
    /// every second) is kept in the store once per interval, and the latest at stop.
    @Test func pingsAreKeptInTheStoreAtMostOncePerIntervalAndTheLatestAtStop() {
        let health = DaemonHealth(pingSilenceLimit: 900)
        #expect(health.pingToKeep() == nil, "no ping yet")
        let first = health.recordPing()
        #expect(health.pingToKeep() == first, "the first ping is kept at once")
        #expect(health.pingToKeep() == nil, "and only once")
        while health.recordPing() == first {}
        #expect(health.pingToKeep() == nil, "a ping within the interval waits")
        let latest = health.lastPing
        #expect(health.pingToKeep(force: true) == latest, "the stop keeps the latest")
        #expect(health.pingToKeep(force: true) == nil, "which is then kept")
    }
}
