import DocplannerAPI
import HTTP1
import Prometheus
import Store

/// `GET /metrics` on the admin listener: every metric in Prometheus' text exposition
/// format. The gauges that describe state (queue depths, rate-limit headroom) are read
/// when scraped; the counters and histograms are kept as things happen.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let metrics: DaemonMetrics
    let store: Store
    /// The Docplanner client's limiter, whose headroom is shown.
    let limiter: RateLimiter

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: inout Router) {
        router.add("GET", "/metrics") { _, responder in
            responder.respond(render())
        }
    }

    /// Refreshes the state gauges and renders the registry.
    func render() -> HTTPResponse {
        metrics.recordStore(try? store.counts())
        metrics.recordMappings(try? store.mappings.summary())
        metrics.recordRateLimits(limiter)
        return HTTPResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: registry.emitToBuffer())
    }
}
