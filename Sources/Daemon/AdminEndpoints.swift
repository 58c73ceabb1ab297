import Dispatch
import DocplannerAPI
import Foundation
import HTTP1
import Store

/// Routes of the admin listener (loopback): health and status for operators and scripts,
/// and the status page (`GET /`, `StatusPage`) for a browser. `/status` and `/` need the
/// tenant's admin token like the other tenant routes; `/` also takes it as `?token=` from
/// this machine (`AdminAuthorization.refusalReason`).
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
    /// The zone the status page shows times in (`docplanner.time_zone`).
    var timeZone = TimeZone(identifier: "UTC")!
    /// The PostgreSQL server whose singleton holders `/status` shows; nil with SQLite.
    var singletonServer: String? = nil
    /// The status page reads the store here, never on the event loop.
    private let pageQueue = DispatchQueue(label: "dpbridge.status-page")

    func register(on router: inout Router) {
        router.add("GET", "/") { [self] request, responder in
            let token = QueryParameters(request.query)["token"]
            if let refusal = authorization.refusalReason(request, queryToken: token) {
                responder.respond(Self.page(status: refusal.status, StatusPage.refusal(refusal.message)))
                return
            }
            pageQueue.async {
                do throws(OperatorError) {
                    let now = SteadyClock().date()
                    let report = try status(tenant: tenant, now: now)
                    let page: StatusPage
                    do throws(StoreError) {
                        page = try StatusPage(
                            report: report, health: health, store: store, timeZone: timeZone, now: now)
                    } catch {
                        throw .store(error.description)
                    }
                    responder.respond(Self.page(status: 200, page.html()))
                } catch {
                    responder.respond(
                        Self.page(
                            status: error.httpStatus, StatusPage.refusal(error.description, explainingToken: false)))
                }
            }
        }
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

    /// An HTML answer of the status page: never cached, never framed, never sending the
    /// URL (which may hold `?token=`) on as a referrer, and no script allowed to run even if
    /// escaping failed (`Content-Security-Policy`).
    static func page(status: Int, _ html: String) -> HTTPResponse {
        var response = HTTPResponse(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                ("Referrer-Policy", "no-referrer"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                (
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                ),
            ],
            body: Array(html.utf8))
        if status == 401 { response.headers.add("WWW-Authenticate", "Bearer") }
        return response
    }

    /// `StatusReport` with what only the running daemon knows.
    func status(tenant: String, now: Date = SteadyClock().date()) throws(OperatorError) -> StatusReport {
        var actions = OperatorActions(store: store, daemon: .running, tenant: tenant)
        actions.singletonServer = singletonServer
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
