import Glibc

/// Handles one request. Called on the event-loop thread: it must not block. It answers
/// through `responder`, now or later from any thread, exactly once.
package typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// Maps method and path to a handler. Patterns are literal segments, `:name` segments
/// (captured into `HTTPRequest.pathParameters`) and a trailing `*` (any rest); prefix
/// routes (`addPrefix`) take every path that starts with their prefix, for a handler that
/// reads the rest itself (the daemon's callback URLs, whose secret is compared in
/// constant time there, never by the router).
/// `HEAD` uses the `GET` route when it has none of its own. No match: 404; a path that
/// matches under another method: 405 with `Allow`.
package struct Router: Sendable {
    private struct Route: Sendable {
        let method: String
        let segments: [Substring]
        let handler: HTTPHandler
    }

    private var routes: [Route] = []
    /// Patterns without `:name` or `*`, with their normalised path: looked up without
    /// splitting the request's path (the callback URL and pings take this way). A short
    /// list compared in order costs less than hashing the path for a dictionary.
    private var exact: [ExactRoute] = []

    private struct ExactRoute: Sendable {
        let path: String
        let method: String
        let handler: HTTPHandler
        /// `path`'s UTF-8 bytes (their count is compared before anything else).
        let bytes: [UInt8]

        init(path: String, method: String, handler: @escaping HTTPHandler) {
            self.path = path
            self.method = method
            self.handler = handler
            bytes = Array(path.utf8)
        }
    }

    /// Routes by path prefix, checked after the exact ones and before the patterns.
    private var prefixes: [ExactRoute] = []

    package init() {}

    package mutating func add(_ method: String, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let segments = Self.segments(pattern[...])
        routes.append(Route(method: method, segments: segments, handler: handler))
        if !segments.contains(where: { $0 == "*" || $0.first == ":" }) {
            let path = "/" + segments.joined(separator: "/")
            if !exact.contains(where: { $0.path == path && $0.method == method }) {
                exact.append(ExactRoute(path: path, method: method, handler: handler))
            }
        }
    }

    /// Sends every `method` request whose path starts with `prefix` (and is longer) to
    /// `handler`, which finds the rest in `request.path`.
    package mutating func addPrefix(_ method: String, _ prefix: String, _ handler: @escaping HTTPHandler) {
        prefixes.append(ExactRoute(path: prefix, method: method, handler: handler))
    }

    /// Answers `request` with its route's handler, or 404/405 when none matches: for a
    /// handler that passes requests on to another router.
    package func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        var request = request
        switch resolve(&request) {
        case .handler(let handler): handler(request, responder)
        case .response(let response): responder.respond(response)
        }
    }

    /// The handler for `request` (with its path parameters filled in), or an error response.
    enum Resolution {
        case handler(HTTPHandler)
        case response(HTTPResponse)
    }

    func resolve(_ request: inout HTTPRequest) -> Resolution {
        // Indices, not `for route in`: a copied route is three retains and releases, on
        // every request, for each route passed over. The closures below read `method`, not
        // `request`: one that captured the inout request would have it copied whole.
        let method = request.method
        if !exact.isEmpty {
            // The path's bytes in place: a `String` of it is an allocation per request.
            let found = request.withPathBytes { path in
                exact.indices.first { index in
                    exact[index].bytes.count == path.count && exact[index].method == method
                        && Self.begins(path, with: exact[index].bytes)
                }
            }
            if let found { return .handler(exact[found].handler) }
        }
        if !prefixes.isEmpty {
            // Each route read in place (`prefixes[index].…`): a copied route is three
            // retains and releases per route passed over, on every request.
            func takes(_ index: Int, _ path: UnsafeBufferPointer<UInt8>) -> Bool {
                path.count > prefixes[index].bytes.count
                    && (prefixes[index].method == method
                        || (method == "HEAD" && prefixes[index].method == "GET"))
                    && Self.begins(path, with: prefixes[index].bytes)
            }
            let found = request.withPathBytes { path in prefixes.indices.first { takes($0, path) } }
            if let found { return .handler(prefixes[found].handler) }
        }
        let path = Self.segments(request.path)
        var allowed: [String] = []
        var fallback: (HTTPHandler, [String: String])?
        for route in routes {
            guard let parameters = Self.match(route.segments, path) else { continue }
            if route.method == request.method {
                request.pathParameters = parameters
                return .handler(route.handler)
            }
            if request.method == "HEAD" && route.method == "GET" && fallback == nil {
                fallback = (route.handler, parameters)
            }
            allowed.append(route.method)
        }
        if let (handler, parameters) = fallback {
            request.pathParameters = parameters
            return .handler(handler)
        }
        if allowed.isEmpty { return .response(HTTPResponse(status: 404, text: "not found\n")) }
        var response = HTTPResponse(status: 405, text: "method not allowed\n")
        response.headers.add("Allow", Set(allowed).sorted().joined(separator: ", "))
        return .response(response)
    }

    /// Whether `path` starts with `bytes` (memcmp; `path` is at least as long).
    @inline(__always)
    private static func begins(_ path: UnsafeBufferPointer<UInt8>, with bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { $0.isEmpty || memcmp(path.baseAddress!, $0.baseAddress!, $0.count) == 0 }
    }

    /// Byte equality of two substrings (memcmp over their UTF-8; no Unicode rules).
    @inline(__always)
    private static func sameBytes(_ a: Substring, _ b: Substring) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }

    /// Non-empty `/`-separated segments, split on the UTF-8 bytes (no Character work).
    private static func segments(_ path: Substring) -> [Substring] {
        var result: [Substring] = []
        let utf8 = path.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if start != index { result.append(path[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { result.append(path[start..<utf8.endIndex]) }
        return result
    }

    private static func match(_ pattern: [Substring], _ path: [Substring]) -> [String: String]? {
        // First check without allocating; most routes do not match.
        var hasParameters = false
        for (index, segment) in pattern.enumerated() {
            if segment == "*" { break }
            guard index < path.count else { return nil }
            if segment.utf8.first == UInt8(ascii: ":") {
                hasParameters = true
            } else if !Self.sameBytes(segment, path[index]) {
                return nil
            }
            if index == pattern.count - 1 && pattern.count != path.count { return nil }
        }
        if pattern.isEmpty && !path.isEmpty { return nil }
        guard hasParameters else { return [:] }
        var parameters: [String: String] = [:]
        for (index, segment) in pattern.enumerated() where segment.utf8.first == UInt8(ascii: ":") {
            parameters[String(segment.dropFirst())] = String(path[index])
        }
        return parameters
    }
}
