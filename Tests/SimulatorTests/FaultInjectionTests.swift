import Curl
import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Injected faults reach the client as the error classes it must handle.
@Suite struct FaultInjectionTests {
    @Test func scriptedServerErrorIsRetryable() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        fixture.simulator.setFaults(SimulatorFaults(next: [.init(status: 503)]))
        #expect {
            try fixture.client.getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .serverError(_, 503, _) = error else { return false }
            return error.isRetryable
        }
        #expect(try fixture.client.getFacilities().count == 2)
    }

    @Test func scriptedRateLimitCarriesRetryAfter() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        fixture.simulator.setFaults(SimulatorFaults(next: [.init(status: 429, retryAfter: 7)]))
        #expect {
            try fixture.client.getFacilities()
        } throws: { error in
            (error as? DocplannerError) == .rateLimited(request: "GET /facilities", retryAfter: 7)
        }
    }

    @Test func droppedConnectionIsATransportError() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        // Two drops: libcurl may retry a request once on a fresh connection when a reused one dies.
        fixture.simulator.setFaults(SimulatorFaults(next: [.init(drop: true), .init(drop: true)]))
        #expect {
            try fixture.client.getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .transport = error else { return false }
            return error.isRetryable
        }
        fixture.simulator.setFaults(SimulatorFaults())
        #expect(try fixture.client.getFacilities().count == 2)
        #expect(fixture.simulator.snapshot().requests.contains { $0.fault == "drop" && $0.status == 0 })
    }

    @Test func latencyDelaysButAnswers() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        fixture.simulator.setFaults(SimulatorFaults(latencyMilliseconds: 30))
        #expect(try fixture.client.getFacilities().count == 2)
        #expect(fixture.statuses == [200])
    }

    @Test func sharesFollowTheSeed() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        fixture.simulator.setFaults(SimulatorFaults(serverErrorShare: 1))
        for _ in 0..<3 {
            #expect(throws: DocplannerError.self) { try fixture.client.getFacilities() }
        }
        #expect(fixture.statuses.allSatisfy { [500, 502, 503].contains($0) })

        // A mixed plan draws the same faults from the same seed.
        func draw() throws -> [Int] {
            let other = try APIFixture()
            defer { other.stop() }
            other.simulator.setFaults(SimulatorFaults(serverErrorShare: 0.3, rateLimitShare: 0.2, seed: 42))
            for _ in 0..<20 { _ = try? other.client.getFacilities() }
            return other.statuses
        }
        let first = try draw()
        #expect(first == (try draw()))
        #expect(first.contains(200) && first.contains(429) && first.contains { $0 >= 500 })
    }

    @Test func faultsAreSetThroughTheAdminAPI() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let (status, plan) = try RawHTTP.admin(
            fixture.simulator, "faults", #"{"next": [{"status": 502}], "latency_ms": 1}"#)
        #expect(status == 200)
        #expect(plan["latency_ms"] == .int(1))
        #expect(throws: DocplannerError.self) { try fixture.client.getFacilities() }
        #expect(fixture.statuses == [502])
        let (bad, _) = try RawHTTP.admin(fixture.simulator, "faults", #"{"next": "x"}"#)
        #expect(bad == 400)
    }
}
