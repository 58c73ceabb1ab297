import Foundation

/// PULL mode: notifications from Docplanner's queue, and re-dispatching failed pushes.
extension DocplannerClient {
    /// Pull Notification: GET /notifications — the oldest notification, or nil when the queue
    /// is empty (404). Pulling consumes it: store it before processing.
    package func pullNotification(priority: RequestPriority = .critical) throws(DocplannerError)
        -> DocplannerNotification?
    {
        let response: Data
        do {
            response = try send("pullNotification", .get, ["notifications"], priority: priority).body
        } catch .notFound(let request, let body) {
            guard Self.isEmptyQueue(body) else { throw .notFound(request: request, body: body) }
            return nil
        }
        return try decode(DocplannerNotification.self, from: response, what: "pulled notification")
    }

    /// Pull Multiple Notification: GET /notifications/multiple?limit=1…100 — an empty batch
    /// when the queue is empty (404).
    package func pullNotifications(limit: Int = 100, priority: RequestPriority = .critical) throws(DocplannerError)
        -> NotificationBatch
    {
        guard (1...100).contains(limit) else {
            throw .invalidArgument("pullNotifications limit must be 1...100, not \(limit)")
        }
        let response: Data
        do {
            response = try send(
                "pullNotifications", .get, ["notifications", "multiple"], query: [("limit", String(limit))],
                priority: priority
            ).body
        } catch .notFound(let request, let body) {
            guard Self.isEmptyQueue(body) else { throw .notFound(request: request, body: body) }
            return NotificationBatch(notifications: [], remaining: 0)
        }
        return try decode(NotificationBatch.self, from: response, what: "pulled notifications")
    }

    /// Docplanner's 404 for an empty queue says "No notifications found"; any other 404 (a
    /// wrong base URL, a proxy's page) is an error, not an empty queue.
    static func isEmptyQueue(_ body: APIErrorBody) -> Bool {
        body.message?.lowercased().contains("no notifications") == true
    }

    /// Release Notifications: POST /notifications/release (204) — re-dispatches pushes that
    /// failed. At most once per hour (429 with `Retry-After` otherwise); 403 unless PUSH.
    package func releaseNotifications(priority: RequestPriority = .normal) throws(DocplannerError) {
        _ = try send("releaseNotifications", .post, ["notifications", "release"], priority: priority)
    }
}
