import Foundation
import HTTP1
import Store

/// Routes of the admin listener (loopback): health and status for operators and scripts.
struct AdminEndpoints: Sendable {
    let store: Store
    let health: DaemonHealth

    /// The JSON `GET /status` answers with.
    struct Status: Encodable {
        var version: String
        var uptimeSeconds: Int
        var lastPing: Date?
        var lastPingAgeSeconds: Int?
        /// Set when Docplanner's pings have stopped.
        var pingWarning: String?
        var acceptingEvents: Bool
        var inbox: StoreCounts.Queue
        var outbox: StoreCounts.Queue
        var quarantined: Int
    }

    func register(on router: inout Router) {
        router.add("GET", "/health") { _, responder in
            let status = health.canAcceptEvents ? 200 : 503
            responder.respond(JSONResponses.object(status: status, ["status": status == 200 ? "ok" : "unavailable"]))
        }
        router.add("GET", "/status") { _, responder in
            do {
                let counts = try store.counts()
                let now = Date()
                let status = Status(
                    version: DaemonVersion.current, uptimeSeconds: Int(now.timeIntervalSince(health.startedAt)),
                    lastPing: health.lastPing,
                    lastPingAgeSeconds: health.lastPing.map { Int(now.timeIntervalSince($0)) },
                    pingWarning: health.pingWarning(now: now),
                    acceptingEvents: health.canAcceptEvents, inbox: counts.inbox, outbox: counts.outbox,
                    quarantined: counts.quarantined)
                responder.respond(JSONResponses.encoded(status: 200, status))
            } catch {
                responder.respond(JSONResponses.error(status: 500, "cannot read the store: \(error)"))
            }
        }
    }
}
