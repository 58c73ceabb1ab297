import HTTP1

/// Sends each request under `/callbacks/` to the tenant whose secret its path carries,
/// found by a `SecretTable` (constant-time compares; the router never compares a secret).
/// An unknown secret is refused (404) by the first tenant's endpoint, which logs it. The
/// presented secret is read in place from the request: no string is made for it on the
/// ping's path.
struct CallbackRouting: Sendable {
    static let prefix = "/callbacks/"
    /// The prefix's length in UTF-8 bytes (the router matched it byte for byte). A
    /// constant, not a lazy global: read on every callback.
    static var prefixBytes: Int { 11 }

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
        // (The target's bytes, not `withPathBytes`: a generic of another module, which
        // made the type metadata of its result on every call.)
        let length = request.pathLength
        let prefixBytes = Self.prefixBytes
        return request.target.utf8.withContiguousStorageIfAvailable { target -> CallbackEndpoint? in
            var end = length
            while end > prefixBytes && target[end - 1] == UInt8(ascii: "/") { end -= 1 }
            guard end > prefixBytes else { return nil }
            return bySecret.value(for: UnsafeBufferPointer(rebasing: target[prefixBytes..<end]))
        } ?? nil
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
