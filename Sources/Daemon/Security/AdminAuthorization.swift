import HTTP1

/// Who may use a tenant's admin routes that read payloads or change state (`/status`,
/// `/jobs`, `/deadletters`, `/quarantine`, the `/v1` partner API): the bearer of that
/// tenant's own `listen.admin.token`, compared in constant time. Without a token those
/// routes are closed, and one tenant's token never opens another's.
struct AdminAuthorization: Sendable {
    let tenant: String
    private let expected: String?

    init(token: String?, tenant: String) {
        self.tenant = tenant
        expected = token.flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
    }

    var isConfigured: Bool { expected != nil }

    /// nil when `request` may go on; else the answer refusing it (401, or 403 when no
    /// token is configured).
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        guard let expected else {
            let setting = tenant == OperatorTarget.defaultTenant ? "listen.admin.token" : "tenants.\(tenant).listen.admin.token"
            return JSONResponses.error(
                status: 403, "this route needs a token and none is configured: set \(setting) (dpbridge init creates one)")
        }
        guard ConstantTime.equal(request.headers["Authorization"] ?? "", expected) else {
            var response = JSONResponses.error(status: 401, "missing or wrong bearer token")
            response.headers.add("WWW-Authenticate", "Bearer")
            return response
        }
        return nil
    }

    /// Peers on this machine: loopback addresses and the Unix socket.
    static func isLocal(_ request: HTTPRequest) -> Bool {
        let address = request.remoteAddress
        return address == "unix" || address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
