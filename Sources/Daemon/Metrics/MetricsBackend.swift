import Metrics
import Prometheus

/// The process's metrics backend: one Prometheus registry, bootstrapped into swift-metrics'
/// `MetricsSystem` the first time `factory` is used (a process may bootstrap only once;
/// Swift runs a static initializer once, whichever thread gets there first).
enum MetricsBackend {
    /// What `GET /metrics` renders.
    static let registry = PrometheusCollectorRegistry()

    /// The bootstrapped factory over `registry`.
    static let factory: PrometheusMetricsFactory = {
        let factory = makeFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        return factory
    }()

    /// A factory over `registry` with dpbridge's histogram buckets; tests make their own
    /// over a fresh registry instead of bootstrapping.
    static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Up to the default 30 s timeout of a Docplanner call.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        return factory
    }
}
