import DocplannerAPI
import Foundation
import TestSupport

/// A scripted Docplanner: the token endpoint plus `rules` under /api/v3/integration.
func scriptedDocplanner(
    tokens: [ScriptedResponse] = [token("t1")], _ rules: [ScriptedRule]
) throws -> ScriptedHTTPServer {
    try ScriptedHTTPServer(rules: [ScriptedRule("POST", "/oauth/v2/token", tokens)] + rules)
}

/// A token endpoint answer.
func token(_ value: String, expiresIn: Int = 3600) -> ScriptedResponse {
    .json(
        200, #"{"access_token":"\#(value)","expires_in":\#(expiresIn),"token_type":"bearer","scope":null}"#,
        contentType: "application/json")
}

/// A Docplanner error answer.
func problem(_ status: Int, _ body: String, headers: [String: String] = [:]) -> ScriptedResponse {
    .json(status, body, headers: headers, contentType: "application/vnd.error+docplanner+json")
}

/// A rule for `method` on `path` below the API base.
func api(_ method: String?, _ path: String, prefix: Bool = false, _ responses: ScriptedResponse...) -> ScriptedRule {
    ScriptedRule(method, "/api/v3/integration" + path, prefix: prefix, responses)
}

/// A client of `server`, in UTC+1 unless told otherwise.
func client(
    of server: ScriptedHTTPServer, clock: TestClock = TestClock(),
    timeZone: TimeZone = TimeZone(secondsFromGMT: 3600)!, rateLimits: RateLimitPolicy = .docplanner,
    maxRateLimitWait: Double? = nil, observer: DocplannerCallObserver? = nil
) -> DocplannerClient {
    let configuration = DocplannerConfiguration(
        apiBaseURL: server.baseURL + "/api/v3/integration/", tokenURL: server.baseURL + "/oauth/v2/token",
        clientID: "client-id", clientSecret: "client-secret", timeZone: timeZone,
        requestTimeout: .seconds(5), rateLimits: rateLimits)
    return DocplannerClient(
        configuration: configuration, clock: clock, maxRateLimitWait: maxRateLimitWait, observer: observer)
}

extension Array where Element == RecordedRequest {
    /// Requests to the API (not the token endpoint).
    var api: [RecordedRequest] { filter { $0.target.hasPrefix("/api/") } }
    var tokenRequests: [RecordedRequest] { filter { $0.target == "/oauth/v2/token" } }
}
