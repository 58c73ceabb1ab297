import HTTP1

/// Sends each request under `/callbacks/` to the tenant whose secret its path carries.
/// The secret is looked up by hash (Swift's hashing is seeded per process, so the lookup's
/// time says nothing of how much of a guess matched) and then confirmed with a
/// constant-time compare; the router never compares it. An unknown secret is refused (404)
/// by the first tenant's endpoint, which logs it.
struct CallbackRouting: Sendable {
    static let prefix = "/callbacks/"
    private let bySecret: [String: CallbackEndpoint]
    private let fallback: CallbackEndpoint

    init(_ endpoints: [CallbackEndpoint]) {
        bySecret = Dictionary(endpoints.map { ($0.secret.value, $0) }) { first, _ in first }
        fallback = endpoints[0]
    }

    func register(on router: inout Router) {
        for method in ["GET", "HEAD", "POST"] {
            router.addPrefix(method, Self.prefix) { request, responder in
                var presented = request.path.dropFirst(Self.prefix.count)
                while presented.hasSuffix("/") { presented = presented.dropLast() }  // as the URL was given
                let secret = String(presented)
                if let endpoint = bySecret[secret], ConstantTime.equal(secret, endpoint.secret.value) {
                    endpoint.handle(request, responder, authenticatedPath: true)
                } else {
                    fallback.handle(request, responder, authenticatedPath: false)
                }
            }
        }
    }
}
