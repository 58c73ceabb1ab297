import HTTP1

/// Who may use a tenant's admin routes that read payloads or change state (`/status`,
/// `/jobs`, `/deadletters`, `/quarantine`, the `/v1` partner API, the status page `/`):
/// the bearer of that tenant's own `listen.admin.token`, compared in constant time.
/// Without a token those routes are closed, and one tenant's token never opens another's.
struct AdminAuthorization: Sendable {
    let tenant: String
    private let expected: String?

    init(token: String?, tenant: String) {
        self.tenant = tenant
        expected = token.flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
    }

    var isConfigured: Bool { expected != nil }

    /// Why a request is refused: its status (401, or 403 when no token is configured) and message.
    struct Refusal: Sendable, Equatable {
        var status: Int
        var message: String
    }

    /// nil when `request` may go on; else the answer refusing it (401, or 403 when no
    /// token is configured).
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        refusalReason(request, queryToken: nil).map(Self.response)
    }

    /// nil when `request` may go on; else why not. `queryToken` is a token the request gave
    /// in its query (`?token=`), for a browser that cannot send a header: accepted only on
    /// read-only pages, and only from a peer on this machine that came through no proxy
    /// (no `Forwarded`, `X-Forwarded-For` or `X-Real-IP`): a URL carrying the token lands in
    /// the browser's history, so it must never cross the network, nor open a route that
    /// changes anything.
    func refusalReason(_ request: HTTPRequest, queryToken: String?) -> Refusal? {
        guard let expected else {
            let setting =
                tenant == OperatorTarget.defaultTenant ? "listen.admin.token" : "tenants.\(tenant).listen.admin.token"
            return Refusal(
                status: 403,
                message: "this route needs a token and none is configured: set \(setting) (dpbridge init creates one)")
        }
        if ConstantTime.equal(request.headers["Authorization"] ?? "", expected) { return nil }
        if let queryToken {
            guard Self.isLocal(request), !Self.cameThroughProxy(request) else {
                return Refusal(
                    status: 401,
                    message:
                        "?token= is accepted from this machine only (and not through a proxy): send Authorization: Bearer <token>"
                )
            }
            if ConstantTime.equal("Bearer \(queryToken)", expected) { return nil }
        }
        return Refusal(status: 401, message: "missing or wrong bearer token")
    }

    static func response(_ refusal: Refusal) -> HTTPResponse {
        var response = JSONResponses.error(status: refusal.status, refusal.message)
        if refusal.status == 401 { response.headers.add("WWW-Authenticate", "Bearer") }
        return response
    }

    /// Peers on this machine: loopback addresses and the Unix socket.
    static func isLocal(_ request: HTTPRequest) -> Bool {
        let address = request.remoteAddress
        return address == "unix" || address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    /// A request a proxy passed on: the peer is the proxy, not the client.
    static func cameThroughProxy(_ request: HTTPRequest) -> Bool {
        ["Forwarded", "X-Forwarded-For", "X-Real-IP"].contains { request.headers[$0] != nil }
    }
}
