import Foundation
import HTTP1
import Synchronization

/// The OAuth2 token endpoint (`POST /oauth/v2/token`, client credentials with HTTP Basic
/// or form fields) and the check of bearer tokens on API requests. Tokens expire after
/// the configured lifetime on the simulator's clock; faults can revoke them early.
final class TokenIssuer: Sendable {
    enum Check: Equatable {
        case valid(client: String, token: String)
        case missing
        case invalid
        case expired
    }

    private struct Token {
        var client: String
        var expiresAt: Double
    }

    private let clientID: String
    private let clientSecret: String
    private let lifetime: Int
    private let tokens = Mutex<[String: Token]>([:])
    private let issuedCount = Atomic<Int>(0)

    init(clientID: String, clientSecret: String, lifetime: Int) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.lifetime = lifetime
    }

    var issued: Int { issuedCount.load(ordering: .relaxed) }

    /// Whether `id` is the client id accepted; one ending in `*` accepts every id that
    /// starts with the rest (many tenants of one daemon against one simulator, each
    /// with a client id of its own: `bench-*`).
    private func accepts(_ id: String) -> Bool {
        guard clientID.hasSuffix("*") else { return id == clientID }
        return id.hasPrefix(clientID.dropLast()) && id.count >= clientID.count
    }

    /// Answers a token request.
    func issue(_ request: HTTPRequest, now: Double) -> HTTPResponse {
        let form = Dictionary(
            PercentDecoding.query(String(decoding: request.body, as: UTF8.self)[...]),
            uniquingKeysWith: { first, _ in first })
        var credentials: (String, String)? = nil
        if let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            if let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            {
                credentials = (String(text[..<colon]), String(text[text.index(after: colon)...]))
            }
        } else if let id = form["client_id"], let secret = form["client_secret"] {
            credentials = (id, secret)
        }
        guard let grant = form["grant_type"] else {
            return APIReply.oauthError(400, "invalid_request", "Invalid grant_type parameter or parameter missing")
        }
        guard grant == "client_credentials" else {
            return APIReply.oauthError(
                400, "unsupported_grant_type", "Invalid grant_type parameter or parameter missing")
        }
        guard let credentials, accepts(credentials.0), ConstantTime.equal(credentials.1, clientSecret) else {
            return APIReply.oauthError(400, "invalid_client", "The client credentials are invalid")
        }
        if let scope = form["scope"], !scope.isEmpty, scope != "integration" {
            return APIReply.oauthError(400, "invalid_scope", "An unsupported scope was requested.")
        }
        let token = Self.randomToken()
        tokens.withLock { tokens in
            tokens = tokens.filter { $0.value.expiresAt > now }
            tokens[token] = Token(client: credentials.0, expiresAt: now + Double(lifetime))
        }
        issuedCount.add(1, ordering: .relaxed)
        let body = #"{"access_token":"\#(token)","expires_in":\#(lifetime),"token_type":"bearer","scope":null}"#
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
            body: Array(body.utf8))
    }

    /// Checks the `Authorization: Bearer …` of an API request.
    func check(_ authorization: String?, now: Double) -> Check {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return .missing }
        let value = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let token = tokens.withLock({ $0[value] }) else { return .invalid }
        guard now < token.expiresAt else { return .expired }
        return .valid(client: token.client, token: value)
    }

    /// Ends `token` now (it answers "expired" from then on).
    func revoke(_ token: String, now: Double) {
        tokens.withLock { tokens in
            if let expiry = tokens[token]?.expiresAt { tokens[token]?.expiresAt = min(expiry, now) }
        }
    }

    /// Ends every token issued so far.
    func expireAll(now: Double) {
        tokens.withLock { tokens in
            for (key, token) in tokens { tokens[key]?.expiresAt = min(token.expiresAt, now) }
        }
    }

    /// The 401 answer for a refused token.
    static func refusal(_ check: Check) -> HTTPResponse {
        var response: HTTPResponse
        switch check {
        case .expired: response = APIReply.oauthError(401, "invalid_grant", "The access token provided has expired.")
        case .invalid: response = APIReply.oauthError(401, "invalid_grant", "The access token provided is invalid.")
        default: response = APIReply.oauthError(401, "access_denied", "OAuth2 authentication required")
        }
        response.headers.add("WWW-Authenticate", #"Bearer realm="Service", error="invalid_grant""#)
        return response
    }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
