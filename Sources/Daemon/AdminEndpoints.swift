import DocplannerAPI
import Foundation
import HTTP1
import Store

/// Routes of the admin listener (loopback): health and status for operators and scripts.
/// `/status` needs the tenant's admin token like the other tenant routes.
struct AdminEndpoints: Sendable {
    let store: Store
    let health: DaemonHealth
    /// Who may post to the callback URL (`CallbackSourcePolicy.summary`).
    var callbackSources = "any"
    /// Docplanner's published addresses, when `callback.use_docplanner_ips` is on.
    var docplannerIPs: DocplannerAddresses? = nil
    /// The daemon's Docplanner client: its cached token and rate-limit headroom.
    var docplanner: DocplannerClient? = nil
    /// The tenant these routes serve (the daemon dispatches on `?tenant=`).
    var tenant = OperatorTarget.defaultTenant
    var authorization = AdminAuthorization(token: nil, tenant: OperatorTarget.defaultTenant)

    func register(on router: inout Router) {
        router.add("GET", "/health") { _, responder in
            let status = health.canAcceptEvents ? 200 : 503
            responder.respond(JSONResponses.object(status: status, ["status": status == 200 ? "ok" : "unavailable"]))
        }
        router.add("GET", "/status") { [authorization] request, responder in
            if let refusal = authorization.refusal(request) {
                responder.respond(refusal)
                return
            }
            do throws(OperatorError) {
                responder.respond(JSONResponses.encoded(status: 200, try status(tenant: tenant)))
            } catch {
                responder.respond(JSONResponses.error(status: error.httpStatus, error.description))
            }
        }
    }

    /// `StatusReport` with what only the running daemon knows.
    func status(tenant: String, now: Date = Date()) throws(OperatorError) -> StatusReport {
        let actions = OperatorActions(store: store, daemon: .running, tenant: tenant)
        var report = try actions.status(pingAlertMinutes: health.pingSilenceLimit.map { Int($0 / 60) }, now: now)
        report.uptimeSeconds = Int(now.timeIntervalSince(health.startedAt))
        report.acceptingEvents = health.canAcceptEvents
        report.lastPing = health.lastPing
        report.lastPingAgeSeconds = health.lastPing.map { Int(now.timeIntervalSince($0)) }
        report.pingWarning = health.pingWarning(now: now)
        report.callbackSources = callbackSources
        report.docplannerIPs = docplannerIPs.map {
            let snapshot = $0.snapshot
            return StatusReport.PublishedList(
                loaded: snapshot != nil, addresses: snapshot?.blocks.count ?? 0, fetchedAt: snapshot?.fetchedAt)
        }
        if let docplanner {
            report.oauthTokenExpiresAt = docplanner.tokens.tokenExpiresAt
            let limiter = docplanner.limiter
            report.rateLimits = StatusReport.RateLimits(
                writesLeft: limiter.remaining(.write), writesPerMinute: limiter.limit(.write),
                readsLeft: limiter.remaining(.read), readsPerHour: limiter.limit(.read))
        }
        return report
    }
}
