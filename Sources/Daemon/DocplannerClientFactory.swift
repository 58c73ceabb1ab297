import DocplannerAPI
import Foundation

extension DaemonConfiguration.Docplanner {
    /// The client for these settings: `base_url` (or `https://www.<domain>`) with
    /// Docplanner's API and token paths, the clinic's time zone, and the configured limits.
    public var clientConfiguration: DocplannerConfiguration {
        var limits = RateLimitPolicy.docplanner
        limits.writes = .init(limit: writeLimitPerMinute, period: 60)
        limits.reads = .init(limit: readLimitPerHour, period: 3600)
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return DocplannerConfiguration(
            apiBaseURL: base + "/api/v3/integration", tokenURL: base + "/oauth/v2/token", clientID: clientID,
            clientSecret: clientSecret.value, timeZone: timeZone, requestTimeout: .seconds(timeoutSeconds),
            rateLimits: limits)
    }
}
