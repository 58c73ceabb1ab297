/// A complete request as the parser delivers it: head and whole body.
package struct HTTPRequest: Sendable {
    package var method: String
    /// The request-target in origin form (`/callbacks/x?y=1`). A target sent in absolute
    /// form (`http://host/callbacks/x?y=1`) is given as its path and query, and its
    /// authority replaces the `Host` field.
    package var target: String {
        didSet { pathLength = Self.pathLength(of: target) }
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
    /// The UTF-8 length of the path: where `target`'s query begins (its `?`), or its whole
    /// length (noted by the parser, so routing need not search the target).
    package private(set) var pathLength: Int

    /// A request as made by hand (tests, handlers that pass one on).
    package init(
        method: String, target: String, headers: HTTPHeaders, body: [UInt8], version: (major: Int, minor: Int),
        keepAlive: Bool
    ) {
        self.init(
            method: method, target: target, pathLength: nil, headers: headers, body: body, version: version,
            keepAlive: keepAlive)
    }

    /// A parsed request, whose parser found where the path ends (nil: found here).
    init(
        method: String, target: String, pathLength: Int?, headers: HTTPHeaders, body: [UInt8],
        version: (major: Int, minor: Int), keepAlive: Bool
    ) {
        self.method = method
        self.target = target
        self.pathLength = pathLength ?? Self.pathLength(of: target)
        self.headers = headers
        self.body = body
        self.version = version
        self.keepAlive = keepAlive
    }

    private static func pathLength(of target: String) -> Int {
        target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target.utf8.distance(from: target.utf8.startIndex, to: $0) }
            ?? target.utf8.count
    }

    /// Whether the target has a query.
    var hasQuery: Bool { pathLength < target.utf8.count }

    /// The target without its query.
    package var path: Substring {
        target[..<target.utf8.index(target.utf8.startIndex, offsetBy: pathLength)]
    }

    /// Runs `body` on the path's UTF-8 (the target without its query), in place when the
    /// target's storage is contiguous (always, for a parsed request): routing reads it on
    /// every request, and a `Substring` of it costs a retain and a release each time.
    package func withPathBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let length = pathLength
        return target.utf8.withContiguousStorageIfAvailable { body(UnsafeBufferPointer(rebasing: $0[..<length])) }
            ?? Array(target.utf8.prefix(length)).withUnsafeBufferPointer(body)
    }

    /// The query string without `?`, or nil.
    package var query: Substring? {
        guard hasQuery else { return nil }
        return target[target.utf8.index(target.utf8.startIndex, offsetBy: pathLength + 1)...]
    }
}
