/// A complete request as the parser delivers it: head and whole body.
package struct HTTPRequest: Sendable {
    package var method: String
    /// The request-target in origin form (`/callbacks/x?y=1`). A target sent in absolute
    /// form (`http://host/callbacks/x?y=1`) is given as its path and query, and its
    /// authority replaces the `Host` field.
    package var target: String {
        didSet { hasQuery = target.utf8.contains(UInt8(ascii: "?")) }
    }
    package var headers: HTTPHeaders
    package var body: [UInt8]
    /// `1.0` or `1.1`, as (major, minor).
    package var version: (major: Int, minor: Int)
    /// The peer's address (`127.0.0.1` or `::1`); empty when unknown.
    package var remoteAddress: String = ""
    /// Values of `:name` segments of the route that matched.
    package var pathParameters: [String: String] = [:]
    /// True when the connection stays open after this request's response.
    package var keepAlive: Bool
    /// Whether `target` has a `?` (noted by the parser, so routing need not search).
    var hasQuery = true

    /// The target without its query.
    /// (Every route asks for it: a target without a query is not searched.)
    package var path: Substring {
        guard hasQuery else { return target[...] }
        return target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
    }

    /// Runs `body` on the path's UTF-8 (the target without its query), in place when the
    /// target's storage is contiguous (always, for a parsed request): routing reads it on
    /// every request, and a `Substring` of it costs a retain and a release each time.
    package func withPathBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // `cut` reads a copy of the flag: one that read `self` would copy the whole request.
        let hasQuery = hasQuery
        func cut(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
            guard hasQuery, let end = bytes.firstIndex(of: UInt8(ascii: "?")) else { return body(bytes) }
            return body(UnsafeBufferPointer(rebasing: bytes[..<end]))
        }
        return target.utf8.withContiguousStorageIfAvailable(cut) ?? Array(target.utf8).withUnsafeBufferPointer(cut)
    }

    /// The query string without `?`, or nil.
    package var query: Substring? {
        guard hasQuery else { return nil }
        return target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[target.utf8.index(after: $0)...] }
    }
}
