import DocplannerAPI
import Foundation
import HTTP1
import Simulator
import TestSupport
import Testing

/// Docplanner's monitoring of the callback URL: pings, failures in a row, the alert.
@Suite struct PingTests {
    @Test func threeFailedPingsInARowRaiseTheAlert() throws {
        let receiver = try CallbackReceiver()
        defer { receiver.stop() }
        let simulator = try startSimulator(callbackURL: receiver.url)
        defer { simulator.stop() }

        receiver.answerAll(503)
        #expect(!simulator.pingNow())
        #expect(!simulator.pingNow())
        var pings = try #require(simulator.snapshot().pings)
        #expect(pings.consecutiveFailures == 2 && !pings.alert)
        #expect(!simulator.pingNow())
        pings = try #require(simulator.snapshot().pings)
        #expect(pings.consecutiveFailures == 3 && pings.alert && pings.alerts == 1 && pings.lastStatus == 503)
        #expect(!simulator.pingNow())
        #expect(simulator.snapshot().pings?.alerts == 1)
        #expect(receiver.pings.count == 4)

        // Any answer but 5xx is alive: the alert clears.
        receiver.answerAll(404)
        #expect(simulator.pingNow())
        pings = try #require(simulator.snapshot().pings)
        #expect(pings.consecutiveFailures == 0 && !pings.alert && pings.failed == 4 && pings.sent == 5)
    }

    @Test func unreachableEndpointFailsPings() throws {
        let port = freeLoopbackPort()
        let simulator = try startSimulator(callbackURL: "http://127.0.0.1:\(port)/callbacks/x")
        defer { simulator.stop() }
        for _ in 0..<3 { #expect(!simulator.pingNow()) }
        let pings = try #require(simulator.snapshot().pings)
        #expect(pings.alert && pings.lastStatus == nil && pings.lastError != nil)
    }

    /// The periodic ping follows the simulator's clock: every 5 minutes by default.
    @Test func pingsEveryFiveMinutesOfSimulatedTime() throws {
        let receiver = try CallbackReceiver()
        defer { receiver.stop() }
        receiver.answerAll(500)
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, callbackURL: receiver.url, pingInterval: 300)
        defer { simulator.stop() }
        #expect(receiver.pings.isEmpty)
        for count in 1...3 {
            clock.advance(by: 299)
            Thread.sleep(forTimeInterval: 0.05)
            #expect(receiver.pings.count == count - 1, "pinged before 5 minutes passed")
            clock.advance(by: 1)
            try receiver.waitUntil { $0.filter { $0.method == "GET" }.count == count }
        }
        #expect(eventually { simulator.snapshot().pings?.alert == true })
        // Through the admin API as well.
        let (status, answer) = try RawHTTP.admin(simulator, "ping", "{}")
        #expect(status == 200 && answer["alive"] == .bool(false))
    }

    @Test func stateShowsThePingsAndTheAlert() throws {
        let receiver = try CallbackReceiver()
        defer { receiver.stop() }
        receiver.answerAll(502)
        let simulator = try startSimulator(callbackURL: receiver.url)
        defer { simulator.stop() }
        for _ in 0..<3 { simulator.pingNow() }
        let response = try RawHTTP.send(.get, simulator.baseURL + "/_sim/state")
        let state = try JSONDecoder().decode(SimulatorSnapshot.self, from: response.body)
        #expect(state.pings?.alert == true && state.pings?.consecutiveFailures == 3)
        #expect(state.callbackURL == receiver.url && state.mode == "push")
        #expect(state.bookings.count == 5 && state.calendars["221"] == "disabled")
    }
}
