import DocplannerAPI
import Foundation
import HTTP1

/// PULL mode (`/notifications`, `/notifications/multiple`) and `/notifications/release`.
enum NotificationRoutes {
    static func register(_ gateway: APIGateway, on router: inout Router) {
        let core = gateway.core
        gateway.add(&router, "GET", "/notifications") { request throws(HTTPResponseError) in
            let (bodies, _) = core.hub.queue.take(1, now: request.now)
            guard let body = bodies.first else {
                throw HTTPResponseError(APIReply.problem(404, APIReply.noNotifications))
            }
            return HTTPResponse(status: 200, headers: [("Content-Type", APIReply.resourceType)], body: [UInt8](body))
        }
        gateway.add(&router, "GET", "/notifications/multiple") { request throws(HTTPResponseError) in
            let limit = Int(request.query("limit") ?? "1") ?? 0
            guard (1...100).contains(limit) else {
                throw HTTPResponseError(
                    APIReply.problem(
                        400, APIReply.invalidArguments,
                        fieldErrors: ["limit": ["This value should be between 1 and 100."]]))
            }
            let (bodies, remaining) = core.hub.queue.take(limit, now: request.now)
            guard !bodies.isEmpty else { throw HTTPResponseError(APIReply.problem(404, APIReply.noNotifications)) }
            // The stored notifications are spliced in as they were encoded.
            var body = Data(#"{"notifications":["#.utf8)
            for (index, notification) in bodies.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(notification)
            }
            body.append(contentsOf: Array(#"],"remaining":\#(remaining)}"#.utf8))
            return HTTPResponse(status: 200, headers: [("Content-Type", APIReply.resourceType)], body: [UInt8](body))
        }
        gateway.add(&router, "POST", "/notifications/release") { request throws(HTTPResponseError) in
            let (decision, due) = core.hub.release(now: request.now)
            switch decision {
            case nil:
                throw HTTPResponseError(APIReply.problem(403, "You are not allowed to use this method"))
            case .tooSoon(let retryAfter):
                var response = APIReply.problem(429, "Notifications can be released once per hour")
                response.headers.add("Retry-After", String(retryAfter))
                return response
            case .accepted:
                if !due.isEmpty {
                    core.actions.async { core.hub.resend(due, now: { core.clock.now() }) }
                }
                return APIReply.empty(204)
            }
        }
    }
}
