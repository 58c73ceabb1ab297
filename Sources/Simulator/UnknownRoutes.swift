import Foundation
import HTTP1
import Synchronization

/// The answers for requests below `/api/v3/integration` that match no operation, distinct
/// from every documented 404 so that a client can tell a wrong URL from "nothing there"
/// (`ObjectNotFound`, `NoSlotsOnAddress`, `NotificationNotFound`, …): 404 "No route found for
/// "GET /path"" for an unknown path, 405 with `Allow` for a known path under another method.
/// Neither needs a token nor counts against the rate limits.
final class UnknownRoutes: Sendable {
    private let patterns = Mutex<[(method: String, segments: [Substring])]>([])

    /// Remembers an operation's route (called by `APIGateway.add`).
    func add(_ method: String, _ pattern: String) {
        let segments = pattern.split(separator: "/")
        patterns.withLock { $0.append((method, segments)) }
    }

    /// Registers the catch-all routes; call after every operation's route.
    func register(on router: inout Router, requests: RequestLog, clock: @escaping @Sendable () -> Double) {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            router.add(method, APIGateway.base + "/*") { [self] request, responder in
                let response = answer(method: request.method, path: String(request.path))
                requests.record(
                    .init(method: request.method, path: String(request.path), status: response.status, at: clock()))
                responder.respond(response)
            }
        }
    }

    func answer(method: String, path: String) -> HTTPResponse {
        let segments = path.split(separator: "/")
        let allowed = patterns.withLock { patterns in
            Set(patterns.filter { Self.matches($0.segments, segments) }.map(\.method)).sorted()
        }
        guard !allowed.isEmpty else {
            return APIReply.problem(404, "No route found for \"\(method) \(path)\"")
        }
        var response = APIReply.problem(
            405,
            "No route found for \"\(method) \(path)\": Method Not Allowed (Allow: \(allowed.joined(separator: ", ")))")
        response.headers.add("Allow", allowed.joined(separator: ", "))
        return response
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        pattern.count == path.count && zip(pattern, path).allSatisfy { $0.first == ":" || $0 == $1 }
    }
}
