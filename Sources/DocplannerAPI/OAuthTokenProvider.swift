import Curl
import Foundation
import Synchronization

/// Fetches and caches the OAuth2 client-credentials token: `POST {tokenURL}` with HTTP Basic
/// `client_id:client_secret` and the form body `grant_type=client_credentials&scope=integration`.
/// The token is reused until shortly before its `expires_in` runs out; `invalidate(_:)` drops
/// it after a 401 so that the next call fetches a new one.
package final class OAuthTokenProvider: Sendable {
    private struct CachedToken {
        let value: String
        let refreshAt: Double
        let expiresAt: Double
    }

    private let tokenURL: String
    private let clientID: String
    private let clientSecret: String
    private let refreshMargin: Double
    private let timeout: Duration
    private let connectTimeout: Duration
    private let http: CurlClient
    private let clock: any DocplannerClock
    private let cached = Mutex<CachedToken?>(nil)
    /// Held while fetching, so that threads needing a token at once cause one fetch.
    private let fetching = Mutex<Void>(())
    private let fetchCount = Atomic<Int>(0)
    private let observer: DocplannerCallObserver?

    /// `observer` hears of each token request (operation `oauthToken`).
    package init(
        configuration: DocplannerConfiguration, http: CurlClient, clock: any DocplannerClock,
        observer: DocplannerCallObserver? = nil
    ) {
        tokenURL = configuration.tokenURL
        clientID = configuration.clientID
        clientSecret = configuration.clientSecret
        refreshMargin = configuration.tokenRefreshMargin
        timeout = configuration.requestTimeout
        connectTimeout = configuration.connectTimeout
        self.http = http
        self.clock = clock
        self.observer = observer
    }

    /// A valid access token, fetched if none is cached or the cached one is about to expire.
    package func accessToken() throws(DocplannerError) -> String {
        if let token = current() { return token }
        return try fetching.withLock { _ throws(DocplannerError) -> String in
            // Another thread may have fetched one while this one waited.
            if let token = current() { return token }
            return try fetch()
        }
    }

    /// Forgets `token` if it is still the cached one (after Docplanner answered 401 to it).
    package func invalidate(_ token: String) {
        cached.withLock { if $0?.value == token { $0 = nil } }
    }

    /// How many tokens have been fetched (for tests and status).
    package var fetches: Int { fetchCount.load(ordering: .relaxed) }

    /// When the cached token expires (by its `expires_in`), or nil when none is cached.
    package var tokenExpiresAt: Date? {
        cached.withLock { $0.map { Date(timeIntervalSince1970: $0.expiresAt) } }
    }

    private func current() -> String? {
        let now = clock.now()
        return cached.withLock { token in
            guard let token, now < token.refreshAt else { return nil }
            return token.value
        }
    }

    private func fetch() throws(DocplannerError) -> String {
        let request = CurlRequest(
            method: .post, url: tokenURL,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data("grant_type=client_credentials&scope=integration".utf8),
            connectTimeout: connectTimeout, timeout: timeout,
            basicAuth: (clientID, clientSecret))
        let label = "POST /oauth/v2/token"
        let started = clock.now()
        let sent = ContinuousClock.now
        let response: CurlResponse
        do {
            response = try http.perform(request)
        } catch {
            observer?(DocplannerCall(operation: "oauthToken", status: nil, duration: ContinuousClock.now - sent))
            throw .transport(request: label, error)
        }
        observer?(
            DocplannerCall(operation: "oauthToken", status: response.status, duration: ContinuousClock.now - sent))
        fetchCount.add(1, ordering: .relaxed)
        switch response.status {
        case 200..<300:
            break
        case 429:
            throw .rateLimited(request: label, retryAfter: RetryAfter.seconds(in: response.headers, now: clock.now()))
        case 500...:
            throw .serverError(request: label, status: response.status, body: APIErrorBody.parse(response.body))
        default:
            throw .authenticationFailed(status: response.status, body: APIErrorBody.parse(response.body))
        }
        let token: OAuthToken
        do {
            token = try JSONDecoder().decode(OAuthToken.self, from: response.body)
        } catch {
            throw .undecodable(what: "token answer", reason: DocplannerError.describe(error))
        }
        guard let value = token.accessToken, !value.isEmpty else {
            throw .undecodable(what: "token answer", reason: "no access_token in it")
        }
        // Trust the returned expires_in (the guide and the example disagree); default 1 h.
        let lifetime = Double(max(token.expiresIn ?? 3600, 1))
        let margin = min(refreshMargin, lifetime / 10)
        cached.withLock {
            $0 = CachedToken(value: value, refreshAt: started + lifetime - margin, expiresAt: started + lifetime)
        }
        return value
    }
}
