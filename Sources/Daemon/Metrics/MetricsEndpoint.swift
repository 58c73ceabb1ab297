import DocplannerAPI
import Foundation
import HTTP1
import Prometheus
import Store

/// `GET /metrics` on the admin listener: every metric in Prometheus' text exposition
/// format. The gauges that describe state (queue depths, rate-limit headroom, ping age) are
/// read when scraped; the counters and histograms are kept as things happen.
struct MetricsEndpoint: Sendable {
    let metrics: DaemonMetrics
    let store: Store
    /// The Docplanner client's limiter, whose headroom is shown.
    let limiter: RateLimiter
    /// When Docplanner last pinged this tenant's callback URL.
    let health: DaemonHealth

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Refreshes this tenant's state gauges (read at each scrape).
    func refresh(now: Date = SteadyClock().date()) {
        metrics.recordStore(try? store.counts())
        metrics.recordMappings(try? store.mappings.summary())
        metrics.recordRateLimits(limiter)
        metrics.recordPingAge(health.pingAge(now: now))
    }

    /// The registry, every tenant's series in it, as the scrape's answer.
    static func render(_ registry: PrometheusCollectorRegistry) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: registry.emitToBuffer())
    }
}
