import DocplannerAPI
import Foundation
import Synchronization
import TestSupport
import Testing

/// The client's observer hears of every request sent, with the operationId and the status
/// (nil when no answer came): what the daemon turns into `dpbridge_docplanner_*` metrics.
@Suite struct CallObserverTests {
    /// Collects what the observer hears.
    final class Heard: Sendable {
        private let calls = Mutex<[DocplannerCall]>([])
        var observer: DocplannerCallObserver { { [self] call in calls.withLock { $0.append(call) } } }
        var all: [DocplannerCall] { calls.withLock { $0 } }
        /// Operation and status, `-` for none.
        var summary: [String] { all.map { "\($0.operation) \($0.status.map(String.init) ?? "-")" } }
    }

    static let address = "/facilities/1/doctors/123/addresses/111"

    @Test func eachRequestIsObservedWithItsOperationAndStatus() throws {
        let booking = #"{"id":"555","status":"booked","start_at":"2020-12-01T00:00:00+01:00","duration":30}"#
        let server = try scriptedDocplanner(
            tokens: [token("t1"), token("t2")],
            [
                api("GET", "/facilities", .json(200, #"{"_items":[]}"#)),
                api("POST", Self.address + "/slots/", prefix: true, .json(201, booking)),
                api("PUT", Self.address + "/slots", problem(422, #"{"message":"Invalid arguments"}"#)),
                // Revoked token: answered 401 once, then the call is sent again with a new one.
                api("GET", "/facilities/9", problem(401, #"{"message":"expired"}"#), .json(200, #"{"id":"9"}"#)),
            ])
        defer { server.stop() }
        let heard = Heard()
        let client = client(of: server, observer: heard.observer)

        _ = try client.getFacilities()
        _ = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: Date(timeIntervalSince1970: 1_606_777_200),
            BookSlotRequest(addressServiceID: "1", duration: 30, patient: Patient(name: "A", surname: "B")))
        #expect(throws: DocplannerError.self) {
            try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: []))
        }
        _ = try client.getFacility(facilityID: "9")

        #expect(
            heard.summary == [
                "oauthToken 200", "getFacilities 200", "bookSlot 201", "replaceSlots 422", "getFacility 401",
                "oauthToken 200", "getFacility 200",
            ])
        #expect(heard.all.allSatisfy { $0.duration >= .zero && $0.duration < .seconds(30) })
    }

    @Test func aTransportFailureIsObservedWithoutAStatus() throws {
        let server = try scriptedDocplanner([])
        defer { server.stop() }
        let heard = Heard()
        // Tokens from the scripted server; the API on a port nobody listens on.
        let configuration = DocplannerConfiguration(
            apiBaseURL: "http://127.0.0.1:\(freeLoopbackPort())/api/v3/integration",
            tokenURL: server.baseURL + "/oauth/v2/token", clientID: "a", clientSecret: "b")
        let client = DocplannerClient(configuration: configuration, clock: TestClock(), observer: heard.observer)
        #expect(throws: DocplannerError.self) { try client.releaseNotifications() }
        #expect(heard.summary == ["oauthToken 200", "releaseNotifications -"])
    }

    @Test func aCallRefusedByTheLimiterIsNotObserved() throws {
        let server = try scriptedDocplanner([api("GET", "/facilities", .json(200, #"{"_items":[]}"#))])
        defer { server.stop() }
        let heard = Heard()
        let clock = TestClock()
        let client = client(
            of: server, clock: clock, rateLimits: RateLimitPolicy(reads: .init(limit: 1, period: 3600)),
            maxRateLimitWait: 0, observer: heard.observer)
        _ = try client.getFacilities()
        #expect(throws: DocplannerError.self) { try client.getFacilities() }
        #expect(heard.summary == ["oauthToken 200", "getFacilities 200"])
    }
}
