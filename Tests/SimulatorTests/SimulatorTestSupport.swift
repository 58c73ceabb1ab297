import Curl
import DocplannerAPI
import Foundation
import HTTP1
import Simulator
import Synchronization
import TestSupport
import Testing

/// The calendars' and the client's time zone in these tests: UTC+1 without DST.
let testTimeZone = TimeZone(secondsFromGMT: 3600)!

/// 2027-01-15T00:00:00+01:00: the dataset's "today" with the default test clock.
let today = Date(timeIntervalSince1970: 1_800_000_000 - 9 * 3600)

/// `today` plus `days`, at `hour:minute` (UTC+1).
func day(_ days: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    today.addingTimeInterval(Double(days) * 86400 + Double(hour) * 3600 + Double(minute) * 60)
}

/// `date` as the simulator writes it (`2027-01-16T09:00:00+01:00`).
func text(_ date: Date) -> String { DocplannerDateTime.format(date, timeZone: testTimeZone) }

/// `text` percent-encoded as a query value (`:` and `+` included).
func queryValue(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}

/// A started simulator on a free loopback port, stopped by `stop()`.
func startSimulator(
    clock: TestClock = TestClock(), callbackURL: String? = nil, mode: SimulatorConfiguration.NotificationMode = .push,
    pingInterval: Double? = nil, rateLimits: RateLimitPolicy? = .docplanner, tokenLifetime: Int = 3600,
    realTimeBooking: Bool = true, replaceSlotsProcessingTime: Double = 0, faults: SimulatorFaults = SimulatorFaults(),
    extraDoctors: Int = 0, lenient: Bool = false
) throws -> DocplannerSimulator {
    let configuration = SimulatorConfiguration(
        clientID: "test-client", clientSecret: "test-client-secret", tokenLifetime: tokenLifetime,
        rateLimits: rateLimits, callbackURL: callbackURL, mode: mode, pingInterval: pingInterval,
        realTimeBooking: realTimeBooking, blockingTimeout: .seconds(5), callbackTimeout: .seconds(5),
        replaceSlotsProcessingTime: replaceSlotsProcessingTime, timeZone: testTimeZone, faults: faults,
        extraDoctors: extraDoctors, lenient: lenient)
    let simulator = DocplannerSimulator(configuration: configuration, clock: clock)
    try simulator.start()
    return simulator
}

/// A client of `simulator` on the same clock.
func makeClient(
    of simulator: DocplannerSimulator, clock: TestClock, secret: String = "test-client-secret",
    rateLimits: RateLimitPolicy = .docplanner, maxRateLimitWait: Double? = nil
) -> DocplannerClient {
    let configuration = DocplannerConfiguration(
        apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "test-client", clientSecret: secret,
        timeZone: testTimeZone, requestTimeout: .seconds(10), rateLimits: rateLimits)
    return DocplannerClient(configuration: configuration, clock: clock, maxRateLimitWait: maxRateLimitWait)
}

/// A simulator and a client of it, for tests of API calls.
struct APIFixture {
    let clock: TestClock
    let simulator: DocplannerSimulator
    let client: DocplannerClient

    init(
        clock: TestClock = TestClock(), replaceSlotsProcessingTime: Double = 0,
        rateLimits: RateLimitPolicy? = .docplanner,
        lenient: Bool = false
    ) throws {
        self.clock = clock
        simulator = try startSimulator(
            clock: clock, rateLimits: rateLimits, replaceSlotsProcessingTime: replaceSlotsProcessingTime,
            lenient: lenient)
        client = makeClient(of: simulator, clock: clock)
    }

    func stop() { simulator.stop() }

    /// Statuses of the API requests the simulator answered, in order.
    var statuses: [Int] { simulator.snapshot().requests.map(\.status) }
}

/// Plain HTTP to the simulator (admin API, hand-made requests), with libcurl.
struct RawHTTP {
    static let http = CurlClient(configuration: .init(timeout: .seconds(20)))

    static func send(
        _ method: CurlMethod, _ url: String, json: String? = nil, headers: CurlHeaders = [:]
    ) throws -> CurlResponse {
        var all = headers
        if json != nil { all.add("Content-Type", "application/json") }
        return try http.perform(CurlRequest(method: method, url: url, headers: all, body: json.map { Data($0.utf8) }))
    }

    /// `POST {simulator}/_sim/{action}` with a JSON body; the answer as a JSON object.
    static func admin(_ simulator: DocplannerSimulator, _ action: String, _ json: String) throws -> (
        Int, [String: JSONValue]
    ) {
        let response = try send(.post, simulator.baseURL + "/_sim/" + action, json: json)
        let object = (try? JSONDecoder().decode([String: JSONValue].self, from: response.body)) ?? [:]
        return (response.status, object)
    }

    /// `method` on `path` below the simulator's API base with a bearer token and an optional
    /// JSON body; the status and the error body (nil unless it is Docplanner's error shape).
    static func api(
        _ simulator: DocplannerSimulator, _ method: CurlMethod, _ path: String, json: String? = nil
    ) throws -> (status: Int, error: APIErrorBody?, response: CurlResponse) {
        let token = try token(simulator)
        let response = try send(
            method, simulator.apiBaseURL + path, json: json, headers: ["Authorization": "Bearer \(token)"])
        let error =
            response.headers["Content-Type"] == "application/vnd.error+docplanner+json"
            ? APIErrorBody.parse(response.body) : nil
        return (response.status, error, response)
    }

    /// A bearer token for hand-made API requests.
    static func token(_ simulator: DocplannerSimulator) throws -> String {
        let response = try http.perform(
            CurlRequest(
                method: .post, url: simulator.tokenURL, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: Data("grant_type=client_credentials&scope=integration".utf8),
                basicAuth: ("test-client", "test-client-secret")))
        let object = try JSONDecoder().decode([String: JSONValue].self, from: response.body)
        return try #require(object["access_token"]?.stringValue)
    }
}

/// A local HTTP1 server standing in for the integration's callback URL: records every
/// request and answers as `answer` says (200 `{"status":"ok"}` by default).
final class CallbackReceiver: Sendable {
    struct Received: Sendable {
        var method: String
        var body: [UInt8]
        var headers: [(name: String, value: String)]

        var json: [String: JSONValue]? { try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)) }
        var name: String? { json?["name"]?.stringValue }
    }

    /// What the route closures share with the test.
    private final class Shared: Sendable {
        let received = Mutex<[Received]>([])
        let policy = Mutex<@Sendable (String?, String) -> HTTPResponse>({ _, _ in
            HTTPResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"status":"ok"}"#.utf8))
        })
    }

    private let server: HTTPServer
    private let shared: Shared
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/callbacks/test-secret" }

    init() throws {
        let shared = Shared()
        self.shared = shared
        var router = Router()
        for method in ["GET", "POST", "HEAD"] {
            router.add(method, "/callbacks/test-secret") { request, responder in
                let entry = Received(method: request.method, body: request.body, headers: request.headers.fields)
                shared.received.withLock { $0.append(entry) }
                let answer = shared.policy.withLock { $0 }
                responder.respond(answer(entry.name, request.method))
            }
        }
        server = HTTPServer(router: router)
        port = try server.bind(host: "127.0.0.1", port: 0)
        try server.start()
    }

    /// How to answer: given the event name (nil for a ping) and the method.
    func answer(_ policy: @escaping @Sendable (_ event: String?, _ method: String) -> HTTPResponse) {
        shared.policy.withLock { $0 = policy }
    }

    /// Answers every request with `status` (and `body` as JSON).
    func answerAll(_ status: Int, body: String = "{}") {
        answer { _, _ in
            HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
    }

    var requests: [Received] { shared.received.withLock { $0 } }
    /// The events received (POSTs with a name), in order.
    var events: [Received] { requests.filter { $0.name != nil } }
    var pings: [Received] { requests.filter { $0.method == "GET" } }

    /// Waits (up to 10 s) until `condition` holds for the received requests.
    func waitUntil(_ condition: ([Received]) -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while !condition(requests) {
            guard Date() < deadline else {
                throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: "timed out"])
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    func stop() { server.shutdown(deadline: .seconds(1)) }
}
