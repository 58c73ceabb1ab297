import DocplannerAPI
import Foundation

extension DaemonConfiguration.Docplanner {
    /// The client for these settings: `base_url` (or `https://www.<domain>`) with
    /// Docplanner's API and token paths, the clinic's time zone, and the configured limits.
    package var clientConfiguration: DocplannerConfiguration {
        var limits = RateLimitPolicy.docplanner
        limits.writes = .init(limit: writeLimitPerMinute, period: 60)
        limits.reads = .init(limit: readLimitPerHour, period: 3600)
        let base = trimmedBaseURL
        return DocplannerConfiguration(
            apiBaseURL: base + "/api/v3/integration", tokenURL: base + "/oauth/v2/token", clientID: clientID,
            clientSecret: clientSecret.value, timeZone: timeZone, requestTimeout: .seconds(timeoutSeconds),
            rateLimits: limits)
    }

    /// Where Docplanner publishes the addresses it calls from (`callback.use_docplanner_ips`).
    var publicIPsURL: String { trimmedBaseURL + "/public/docs/public-ips.json" }

    /// `base_url` (or `https://www.<domain>`) without trailing slashes.
    private var trimmedBaseURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
