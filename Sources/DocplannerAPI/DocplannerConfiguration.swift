import Foundation

/// Where and as whom the client talks to Docplanner.
package struct DocplannerConfiguration: Sendable {
    /// `https://www.{domain}/api/v3/integration` (or a simulator's URL), without a trailing slash.
    package var apiBaseURL: String
    /// `https://www.{domain}/oauth/v2/token` (or a simulator's URL).
    package var tokenURL: String
    package var clientID: String
    package var clientSecret: String
    /// The offset written into every date sent (`2020-12-01T00:00:00+01:00`).
    package var timeZone: TimeZone
    package var connectTimeout: Duration
    /// Time allowed for one whole request.
    package var requestTimeout: Duration
    package var rateLimits: RateLimitPolicy
    /// Fetch a new token this many seconds before the cached one expires (capped at a tenth
    /// of its lifetime).
    package var tokenRefreshMargin: Double

    /// For a marketplace domain such as `znanylekarz.pl` or `doctoralia.es`.
    package init(
        domain: String, clientID: String, clientSecret: String, timeZone: TimeZone = .current,
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(30),
        rateLimits: RateLimitPolicy = .docplanner, tokenRefreshMargin: Double = 60
    ) {
        self.init(
            apiBaseURL: "https://www.\(domain)/api/v3/integration",
            tokenURL: "https://www.\(domain)/oauth/v2/token",
            clientID: clientID, clientSecret: clientSecret, timeZone: timeZone,
            connectTimeout: connectTimeout, requestTimeout: requestTimeout,
            rateLimits: rateLimits, tokenRefreshMargin: tokenRefreshMargin)
    }

    /// The longest a call may take from its permit to its answer, in seconds: a token fetch
    /// and the request, each within `requestTimeout` (which includes the connection).
    package var longestRequestSeconds: Double {
        let (seconds, attoseconds) = requestTimeout.components
        return 2 * (Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// For explicit URLs (tests, the simulator).
    package init(
        apiBaseURL: String, tokenURL: String, clientID: String, clientSecret: String,
        timeZone: TimeZone = .current, connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30), rateLimits: RateLimitPolicy = .docplanner,
        tokenRefreshMargin: Double = 60
    ) {
        var base = apiBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.apiBaseURL = base
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.timeZone = timeZone
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.rateLimits = rateLimits
        self.tokenRefreshMargin = tokenRefreshMargin
    }
}
