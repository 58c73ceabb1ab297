import Curl
import DocplannerAPI
import Foundation
import Simulator
import Synchronization
import TestSupport
import Testing

/// The simulator's budgets and headers, and the client's limiter holding them.
@Suite struct RateLimitTests {
    @Test func answersCarryRateLimitHeaders() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let token = try RawHTTP.token(fixture.simulator)
        let response = try RawHTTP.send(
            .get, fixture.simulator.apiBaseURL + "/facilities", headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/vnd.docplanner+json; charset=UTF-8")
        #expect(response.headers["X-RateLimit-Limit"] == "8000")
        #expect(response.headers["X-RateLimit-Used"] == "1")
        #expect(response.headers["X-RateLimit-Remaining"] == "7999")
        #expect(response.headers["X-RateLimit-Reset"] == "2027-01-15T10:00:00+01:00")
    }

    /// A simulator configured to a lower write limit (`--write-limit`) announces it: writes
    /// carry that `X-RateLimit-Limit`, reads keep theirs.
    @Test func aLowerWriteLimitIsAnnounced() throws {
        let simulator = try startSimulator(rateLimits: RateLimitPolicy(writes: .init(limit: 10, period: 60)))
        defer { simulator.stop() }
        let write = try RawHTTP.api(
            simulator, .patch, "/facilities/1/doctors/123/addresses/111", json: #"{"insurance_support":"private"}"#)
        #expect(write.status == 200)
        #expect(write.response.headers["X-RateLimit-Limit"] == "10")
        #expect(write.response.headers["X-RateLimit-Used"] == "1")
        #expect(write.response.headers["X-RateLimit-Remaining"] == "9")
        #expect(write.response.headers["X-RateLimit-Reset"] == "2027-01-15T09:01:00+01:00")
        let read = try RawHTTP.api(simulator, .get, "/facilities")
        #expect(read.response.headers["X-RateLimit-Limit"] == "8000")
        // Refusals carry them too.
        let refused = try RawHTTP.api(
            simulator, .patch, "/facilities/1/doctors/123/addresses/111", json: #"{"insurance_support":7}"#)
        #expect(refused.status == 400 && refused.response.headers["X-RateLimit-Remaining"] == "8")
    }

    @Test func overTheBudgetIs429UntilTheReset() throws {
        let clock = TestClock()
        let simulator = try startSimulator(
            clock: clock, rateLimits: RateLimitPolicy(writes: .init(limit: 3, period: 60)))
        defer { simulator.stop() }
        let token = try RawHTTP.token(simulator)
        let url = simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111"
        func patch() throws -> CurlResponse {
            try RawHTTP.send(
                .patch, url, json: #"{"insurance_support":"private"}"#, headers: ["Authorization": "Bearer \(token)"])
        }
        for used in 1...3 {
            let response = try patch()
            #expect(response.status == 200)
            #expect(response.headers["X-RateLimit-Remaining"] == String(3 - used))
        }
        clock.advance(by: 20)
        let refused = try patch()
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "40")
        #expect(refused.headers["X-RateLimit-Remaining"] == "0")
        #expect(refused.headers["X-RateLimit-Reset"] == "2027-01-15T09:01:00+01:00")
        // Reads have their own budget.
        let read = try RawHTTP.send(.get, url, headers: ["Authorization": "Bearer \(token)"])
        #expect(read.status == 200)
        clock.advance(by: 40)
        #expect(try patch().status == 200)
    }

    /// 100 writes from four threads at once: the client's limiter spaces them so that the
    /// simulator never sees more than 40 in a minute and never answers 429.
    @Test func clientHolds40WritesPerMinuteUnderABurst() throws {
        let clock = IdleAdvancingClock(participants: 4)
        let simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(
                clientID: "test-client", clientSecret: "test-client-secret", pingInterval: nil, timeZone: testTimeZone),
            clock: clock)
        try simulator.start()
        defer { simulator.stop() }
        let configuration = DocplannerConfiguration(
            apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "test-client",
            clientSecret: "test-client-secret", timeZone: testTimeZone)
        let client = DocplannerClient(configuration: configuration, clock: clock)
        let start = clock.now()
        let failures = Failures()
        let group = DispatchGroup()
        for thread in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                for _ in 0..<25 {
                    do {
                        try client.updateAddress(
                            facilityID: "1", doctorID: "123", addressID: "111",
                            UpdateAddressRequest(insuranceSupport: thread % 2 == 0 ? "private" : "insurance"))
                    } catch {
                        failures.list.withLock { $0.append("\(error)") }
                    }
                }
                clock.finished()
                group.leave()
            }
        }
        group.wait()
        #expect(failures.list.withLock { $0 } == [])
        let writes = simulator.snapshot().requests.filter { $0.method == "PATCH" }
        #expect(writes.count == 100)
        #expect(writes.allSatisfy { $0.status == 200 })
        let times = writes.map(\.at).sorted()
        for index in 0..<(times.count - 40) {
            #expect(times[index + 40] - times[index] >= 60, "41 writes within a minute from write \(index)")
        }
        // 100 writes need two more windows after the first, and no more.
        #expect(clock.now() - start == 120)
        #expect(Set(times) == [start, start + 60, start + 120])
    }

    /// When the simulator's budget is smaller than the client's, `X-RateLimit-Remaining: 0`
    /// makes the client wait for `X-RateLimit-Reset` instead of running into 429s.
    @Test func clientWaitsForTheAnnouncedReset() throws {
        let clock = TestClock(autoAdvance: true)
        let simulator = try startSimulator(
            clock: clock, rateLimits: RateLimitPolicy(writes: .init(limit: 5, period: 60)))
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)
        let start = clock.now()
        for _ in 0..<12 {
            try client.updateAddress(
                facilityID: "1", doctorID: "123", addressID: "111", UpdateAddressRequest(insuranceSupport: "private"))
        }
        let statuses = simulator.snapshot().requests.map(\.status)
        #expect(statuses == Array(repeating: 200, count: 12))
        #expect(clock.now() - start == 120)
    }
}

/// A clock for concurrent bursts: time jumps to a waiter's deadline only when every
/// participating thread is waiting, so it never moves while a request is in flight (the
/// simulator sees each request at the time the client's limiter granted it).
final class IdleAdvancingClock: DocplannerClock {
    private struct State {
        var now: Double
        var participants: Int
        var waiting = 0
    }

    private let state: Mutex<State>

    init(start: Double = 1_800_000_000, participants: Int) {
        state = Mutex(State(now: start, participants: participants))
    }

    func now() -> Double { state.withLock { $0.now } }

    /// A participant is done and no longer counts.
    func finished() { state.withLock { $0.participants -= 1 } }

    func wait(on condition: NSCondition, until deadline: Double?) {
        let jumped = state.withLock { state -> Bool in
            state.waiting += 1
            guard let deadline, state.waiting >= state.participants else { return false }
            state.now = max(state.now, deadline)
            state.waiting -= 1
            return true
        }
        if jumped { return }
        _ = condition.wait(until: Date().addingTimeInterval(0.002))
        state.withLock { $0.waiting -= 1 }
    }
}

/// Errors collected from several threads.
final class Failures: Sendable {
    let list = Mutex<[String]>([])
}
