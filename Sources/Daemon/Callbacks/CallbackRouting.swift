import HTTP1

/// Sends each request under `/callbacks/` to the tenant whose secret its path carries.
/// The secret is looked up by a hash of its bytes (Swift's hashing is seeded per process,
/// so the lookup's time says nothing of how much of a guess matched) and then confirmed
/// with a constant-time compare; the router never compares it. An unknown secret is
/// refused (404) by the first tenant's endpoint, which logs it. The presented secret is
/// read in place from the request: no string is made for it on the ping's path.
struct CallbackRouting: Sendable {
    static let prefix = "/callbacks/"
    /// The prefix's length in UTF-8 bytes (the router matched it byte for byte).
    private static let prefixBytes = prefix.utf8.count

    private struct Entry: Sendable {
        let secret: [UInt8]
        let endpoint: CallbackEndpoint
    }

    private let bySecretHash: [Int: [Entry]]
    private let fallback: CallbackEndpoint

    init(_ endpoints: [CallbackEndpoint]) {
        var table: [Int: [Entry]] = [:]
        for endpoint in endpoints {
            let secret = Array(endpoint.secret.value.utf8)
            let hash = secret.withUnsafeBufferPointer { Self.hash($0) }
            // The first tenant with a secret keeps it.
            if table[hash]?.contains(where: { $0.secret == secret }) == true { continue }
            table[hash, default: []].append(Entry(secret: secret, endpoint: endpoint))
        }
        bySecretHash = table
        fallback = endpoints[0]
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }

    /// The tenant whose secret follows the prefix of `path` (trailing slashes dropped, as
    /// the URL was given), or nil.
    private func endpoint(for path: Substring) -> CallbackEndpoint? {
        var path = path
        return path.withUTF8 { bytes -> CallbackEndpoint? in
            var end = bytes.count
            while end > Self.prefixBytes && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            guard end > Self.prefixBytes else { return nil }
            let presented = UnsafeBufferPointer(rebasing: bytes[Self.prefixBytes..<end])
            guard let candidates = bySecretHash[Self.hash(presented)] else { return nil }
            for entry in candidates
            where entry.secret.withUnsafeBufferPointer({ ConstantTime.equal($0, presented) }) {
                return entry.endpoint
            }
            return nil
        }
    }

    func register(on router: inout Router) {
        for method in ["GET", "HEAD", "POST"] {
            router.addPrefix(method, Self.prefix) { request, responder in
                if let endpoint = endpoint(for: request.path) {
                    endpoint.handle(request, responder, authenticatedPath: true)
                } else {
                    fallback.handle(request, responder, authenticatedPath: false)
                }
            }
        }
    }
}
