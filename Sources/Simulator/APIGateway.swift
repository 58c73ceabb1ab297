import Dispatch
import DocplannerAPI
import Foundation
import HTTP1

/// A route handler of the API: reads and changes state, and answers or throws a 4xx.
typealias APIHandler = @Sendable (APIRequest) throws(HTTPResponseError) -> HTTPResponse

/// What every API request goes through, in order: injected latency and faults, the bearer
/// token, the rate limit, then its handler; the answer gets the `X-RateLimit-*` headers.
struct APIGateway: Sendable {
    static let base = "/api/v3/integration"
    let core: SimulatorCore
    /// Every operation's route, for the answers to requests matching none.
    let unknown: UnknownRoutes

    init(core: SimulatorCore, unknown: UnknownRoutes = UnknownRoutes()) {
        self.core = core
        self.unknown = unknown
    }

    /// Adds `method pattern` (below `/api/v3/integration`) to `router`.
    func add(_ router: inout Router, _ method: String, _ pattern: String, _ handler: @escaping APIHandler) {
        unknown.add(method, Self.base + pattern)
        router.add(method, Self.base + pattern) { [core, unknown] request, responder in
            APIGateway(core: core, unknown: unknown).handle(request, responder, handler)
        }
    }

    /// Adds a handler that works on the state under its lock.
    func add(
        _ router: inout Router, _ method: String, _ pattern: String,
        state handler: @escaping @Sendable (APIRequest, inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    ) {
        let store = core.store
        add(&router, method, pattern) { request throws(HTTPResponseError) in
            try store.withLock { state throws(HTTPResponseError) in try handler(request, &state) }
        }
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder, _ handler: @escaping APIHandler) {
        let decision = core.faults.draw()
        if decision.latencyMilliseconds > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(decision.latencyMilliseconds)) {
                process(request, responder, decision.fault, handler)
            }
        } else {
            process(request, responder, decision.fault, handler)
        }
    }

    private func process(
        _ request: HTTPRequest, _ responder: HTTPResponder, _ fault: FaultInjector.Fault, _ handler: APIHandler
    ) {
        let now = core.clock.now()
        func finish(_ response: HTTPResponse, fault: String? = nil) {
            core.requests.record(
                .init(
                    method: request.method, path: String(request.path), status: response.status, at: now, fault: fault))
            responder.respond(response)
        }
        switch fault {
        case .drop:
            core.requests.record(
                .init(method: request.method, path: String(request.path), status: 0, at: now, fault: "drop"))
            responder.abort()
            return
        case .status(let status, let retryAfter):
            var response = APIReply.problem(status, status == 429 ? "Too many requests" : "Internal server error")
            if let retryAfter { response.headers.add("Retry-After", String(retryAfter)) }
            finish(response, fault: String(status))
            return
        case .none, .expireToken:
            break
        }

        let client: String
        switch core.tokens.check(request.headers["Authorization"], now: now) {
        case .valid(let owner, let token):
            if fault == .expireToken {
                core.tokens.revoke(token, now: now)
                finish(TokenIssuer.refusal(.expired), fault: "token")
                return
            }
            client = owner
        case let refused:
            finish(TokenIssuer.refusal(refused))
            return
        }

        var limitHeaders: HTTPHeaders = []
        if let limits = core.limits {
            let kind: RequestKind = request.method == "GET" || request.method == "HEAD" ? .read : .write
            switch limits.admit(client: client, kind: kind, now: now) {
            case .allowed(let headers):
                limitHeaders = headers
            case .limited(let headers, let retryAfter):
                var response = APIReply.problem(429, "Rate limit exceeded: retry after \(retryAfter) seconds")
                for field in headers { response.headers.add(field.name, field.value) }
                response.headers.add("Retry-After", String(retryAfter))
                finish(response)
                return
            }
        }

        var response: HTTPResponse
        do throws(HTTPResponseError) {
            response = try handler(
                APIRequest(request, now: now, timeZone: core.timeZone, lenient: core.configuration.lenient))
        } catch {
            response = error.response
        }
        for field in limitHeaders { response.headers.add(field.name, field.value) }
        finish(response)
    }
}
