import HTTP1

/// Sends each request under `/callbacks/` to the tenant whose secret its path carries,
/// found by a `SecretTable` (constant-time compares; the router never compares a secret).
/// An unknown secret is refused (404) by the first tenant's endpoint, which logs it. The
/// presented secret is read in place from the request: no string is made for it on the
/// ping's path.
struct CallbackRouting: Sendable {
    static let prefix = "/callbacks/"
    /// The prefix's length in UTF-8 bytes (the router matched it byte for byte).
    private static let prefixBytes = prefix.utf8.count

    private let bySecret: SecretTable<CallbackEndpoint>
    private let fallback: CallbackEndpoint

    init(_ endpoints: [CallbackEndpoint]) {
        bySecret = SecretTable(endpoints.map { (secret: $0.secret.value, value: $0) })
        fallback = endpoints[0]
    }

    /// The tenant whose secret follows the prefix of `path` (trailing slashes dropped, as
    /// the URL was given), or nil.
    private func endpoint(for request: HTTPRequest) -> CallbackEndpoint? {
        // In place: a `Substring` of the path costs a retain and a release on every callback.
        request.withPathBytes { bytes in
            var end = bytes.count
            while end > Self.prefixBytes && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            guard end > Self.prefixBytes else { return nil }
            return bySecret.value(for: UnsafeBufferPointer(rebasing: bytes[Self.prefixBytes..<end]))
        }
    }

    func register(on router: inout Router) {
        for method in ["GET", "HEAD", "POST"] {
            router.addPrefix(method, Self.prefix) { request, responder in
                if let endpoint = endpoint(for: request) {
                    endpoint.handle(request, responder, authenticatedPath: true)
                } else {
                    fallback.handle(request, responder, authenticatedPath: false)
                }
            }
        }
    }
}
