import Curl
import Foundation

/// A typed, blocking client for the Docplanner Integrations API (v3), for worker threads.
///
/// Each call runs on the calling thread: it waits for a rate-limit permit (writes and reads
/// counted separately, higher priority first), attaches a cached OAuth token (fetching one when
/// needed, and once more after a 401), sends the request over a kept-alive libcurl connection,
/// and maps the answer to a model or a `DocplannerError`. An answer saying the budget is spent
/// (`X-RateLimit-Remaining: 0`) pauses the limiter for that kind of request until
/// `X-RateLimit-Reset`.
///
/// The operations are split by resource: `DocplannerClient+Facilities.swift`, `+Services`,
/// `+Insurance`, `+Calendar`, `+Slots`, `+Bookings`, `+Notifications`.
package final class DocplannerClient: Sendable {
    package let configuration: DocplannerConfiguration
    package let limiter: RateLimiter
    package let tokens: OAuthTokenProvider
    /// When set, a call that cannot get a rate-limit permit within this many seconds fails
    /// with `.rateLimited` instead of waiting longer.
    package let maxRateLimitWait: Double?
    let http: CurlClient
    let clock: any DocplannerClock
    let observer: DocplannerCallObserver?

    /// `http` and `limiter` may be shared between clients; by default each client has its own.
    /// `observer` hears of every request sent, the token's included (for metrics).
    package init(
        configuration: DocplannerConfiguration, clock: any DocplannerClock = DocplannerSystemClock(),
        http: CurlClient? = nil, limiter: RateLimiter? = nil, maxRateLimitWait: Double? = nil,
        observer: DocplannerCallObserver? = nil
    ) {
        self.configuration = configuration
        self.clock = clock
        let http =
            http
            ?? CurlClient(
                configuration: .init(
                    connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout,
                    userAgent: "dpbridge"))
        self.http = http
        self.limiter = limiter ?? RateLimiter(policy: configuration.rateLimits, clock: clock)
        tokens = OAuthTokenProvider(configuration: configuration, http: http, clock: clock, observer: observer)
        self.maxRateLimitWait = maxRateLimitWait
        self.observer = observer
    }

    /// `date` as Docplanner expects it, with the configured time zone's offset.
    package func dateTime(_ date: Date) -> DocplannerDateTime {
        DocplannerDateTime(date, timeZone: configuration.timeZone)
    }

    // MARK: - Plumbing shared by the resource extensions

    static let accept = "application/vnd.docplanner+json, application/vnd.error+docplanner+json, application/json"

    /// The path of an address's sub-resource: /facilities/{f}/doctors/{d}/addresses/{a}/…
    func addressPath(_ facilityID: String, _ doctorID: String, _ addressID: String, _ rest: String...) -> [String] {
        ["facilities", facilityID, "doctors", doctorID, "addresses", addressID] + rest
    }

    /// Sends a request and returns the 2xx response; every other outcome is thrown.
    /// `path` segments are percent-encoded here (dates: `2020-12-01T00%3A00%3A00%2B01%3A00`).
    /// `operation` names the call for the observer (the OpenAPI operationId).
    func send(
        _ operation: String, _ method: CurlMethod, _ path: [String], query: [(String, String)] = [],
        body: Data? = nil, priority: RequestPriority
    ) throws(DocplannerError) -> CurlResponse {
        let encodedPath = "/" + path.map(URLEncoding.encode).joined(separator: "/")
        let label = "\(method.rawValue) \(encodedPath)"
        var url = configuration.apiBaseURL + encodedPath
        if !query.isEmpty {
            url += "?" + query.map { "\(URLEncoding.encode($0.0))=\(URLEncoding.encode($0.1))" }.joined(separator: "&")
        }
        let kind = RequestKind(method)
        var refreshedToken = false
        while true {
            let deadline = maxRateLimitWait.map { clock.now() + $0 }
            guard let permit = limiter.permit(kind, priority: priority, deadline: deadline) else {
                throw .rateLimited(request: label, retryAfter: nil)
            }
            // Counted in the window until one period after the answer (or the failure).
            defer { limiter.finish(permit) }
            let token = try tokens.accessToken()
            var headers: CurlHeaders = ["Authorization": "Bearer \(token)", "Accept": Self.accept]
            if body != nil { headers.add("Content-Type", "application/json") }
            let request = CurlRequest(
                method: method, url: url, headers: headers, body: body,
                connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout)
            let response: CurlResponse
            let started = ContinuousClock.now
            do {
                response = try http.perform(request)
            } catch {
                observer?(DocplannerCall(operation: operation, status: nil, duration: ContinuousClock.now - started))
                throw .transport(request: label, error)
            }
            observer?(
                DocplannerCall(operation: operation, status: response.status, duration: ContinuousClock.now - started))
            noteRateLimitHeaders(response.headers, kind: kind)
            switch response.status {
            case 200..<300:
                return response
            case 401 where !refreshedToken:
                // The token may have been revoked or expired early: fetch a new one, once.
                tokens.invalidate(token)
                refreshedToken = true
                continue
            case 401:
                throw .unauthorized(request: label, body: APIErrorBody.parse(response.body))
            case 429:
                // The limiter was paused above only if the answer says the budget is spent
                // (X-RateLimit-Remaining: 0): a 429 for a duplicate replaceSlots or a second
                // release within the hour must not hold every other write.
                throw .rateLimited(
                    request: label, retryAfter: RetryAfter.seconds(in: response.headers, now: clock.now()))
            case 500...:
                throw .serverError(request: label, status: response.status, body: APIErrorBody.parse(response.body))
            default:
                let problem = Self.problem(in: response)
                switch response.status {
                case 400: throw .badRequest(request: label, body: problem)
                case 403: throw .forbidden(request: label, body: problem)
                case 404: throw .notFound(request: label, body: problem)
                case 409: throw .conflict(request: label, body: problem)
                case 422: throw .unprocessable(request: label, body: problem)
                default: throw .rejected(request: label, status: response.status, body: problem)
                }
            }
        }
    }

    /// Sends a request and decodes its JSON answer as `T`.
    func call<T: Decodable>(
        _ operation: String, _ type: T.Type, _ method: CurlMethod, _ path: [String], query: [(String, String)] = [],
        body: Data? = nil, priority: RequestPriority
    ) throws(DocplannerError) -> T {
        let response = try send(operation, method, path, query: query, body: body, priority: priority)
        return try decode(T.self, from: response.body, what: "answer to \(method.rawValue) /\(path.first ?? "")")
    }

    func decode<T: Decodable>(_ type: T.Type, from body: Data, what: String) throws(DocplannerError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw .undecodable(what: what, reason: DocplannerError.describe(error))
        }
    }

    func encode(_ value: some Encodable) throws(DocplannerError) -> Data {
        let encoder = JSONEncoder()
        // Stable bytes: Docplanner treats an identical replaceSlots payload as a duplicate.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw .invalidArgument("cannot encode \(type(of: value)): \(error)")
        }
    }

    /// `with=a,b` when scopes are given.
    func scopeQuery(_ scopes: [Scope]) -> [(String, String)] {
        scopes.isEmpty ? [] : [("with", scopes.map(\.rawValue).joined(separator: ","))]
    }

    /// Follows the limit Docplanner announces (`X-RateLimit-Limit`), and when it says no
    /// requests remain before a reset, holds that kind until then.
    private func noteRateLimitHeaders(_ headers: CurlHeaders, kind: RequestKind) {
        if let limit = headers["X-RateLimit-Limit"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            limiter.announce(kind, limit: limit)
        }
        guard
            let remaining = headers["X-RateLimit-Remaining"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
            remaining <= 0, let reset = RetryAfter.resetTime(in: headers)
        else { return }
        limiter.pause(kind, until: reset)
    }

    private static func problem(in response: CurlResponse) -> APIErrorBody {
        if let body = APIErrorBody.parse(response.body) { return body }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return APIErrorBody(message: text.isEmpty ? nil : String(text.prefix(200)))
    }
}
