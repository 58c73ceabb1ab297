import Foundation
import HTTP1
import Store

/// Routes of the admin listener (loopback): health and status for operators and scripts.
struct AdminEndpoints: Sendable {
    let store: Store
    let health: DaemonHealth
    /// Who may post to the callback URL (`CallbackSourcePolicy.summary`).
    var callbackSources = "any"
    /// Docplanner's published addresses, when `callback.use_docplanner_ips` is on.
    var docplannerIPs: DocplannerAddresses? = nil

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
        var callbackSources: String
        /// Docplanner's published list: how many addresses, fetched when (nil: not in use).
        var docplannerIPs: PublishedList?
    }

    struct PublishedList: Encodable {
        var loaded: Bool
        var addresses: Int
        var fetchedAt: Date?
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
                    quarantined: counts.quarantined, callbackSources: callbackSources,
                    docplannerIPs: docplannerIPs.map {
                        let snapshot = $0.snapshot
                        return PublishedList(
                            loaded: snapshot != nil, addresses: snapshot?.blocks.count ?? 0, fetchedAt: snapshot?.fetchedAt)
                    })
                responder.respond(JSONResponses.encoded(status: 200, status))
            } catch {
                responder.respond(JSONResponses.error(status: 500, "cannot read the store: \(error)"))
            }
        }
    }
}
