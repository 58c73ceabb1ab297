/// Limits and timeouts of an `HTTPServer`. Defaults follow RFC practice and dpbridge's needs.
package struct ServerConfiguration: Sendable {
    /// Longest request line (414 beyond).
    package var maxRequestLineBytes = 8 * 1024
    /// Largest header section, request line excluded (431 beyond).
    package var maxHeaderBytes = 32 * 1024
    /// Most header fields (431 beyond).
    package var maxHeaderFields = 100
    /// Largest body (413 beyond): decoded for `Content-Length`; as sent for a chunked
    /// body, framing (size lines, extensions, trailers) included.
    package var maxBodyBytes = 1024 * 1024
    /// Open connections at most; more are answered 503 and closed.
    package var maxConnections = 1024
    /// Time to receive a whole header section (408 beyond).
    package var headerTimeout: Duration = .seconds(10)
    /// Longest pause while receiving a body (408 beyond).
    package var bodyTimeout: Duration = .seconds(10)
    /// Time to receive a whole body, from the end of its head, however steadily it
    /// trickles (408 beyond). Like `headerTimeout`, an absolute deadline.
    package var bodyDeadline: Duration = .seconds(30)
    /// Idle keep-alive connections are closed after this.
    package var keepAliveTimeout: Duration = .seconds(60)
    /// A client that accepts no response bytes for this long is disconnected.
    package var writeTimeout: Duration = .seconds(10)
    /// After an answer that closes the connection while the client may still be sending
    /// (413, 400, 408, `Connection: close` with more input), the server shuts down its
    /// side and reads and discards what arrives for at most this long, so that the
    /// client reads the answer rather than a connection reset.
    package var lingerTimeout: Duration = .seconds(2)
    /// At most this many bytes are discarded that way before the connection is closed.
    package var lingerMaxBytes = 8 * 1024 * 1024
    /// Requests of one connection handed to handlers and not yet answered, at most:
    /// beyond, the connection's further pipelined requests wait, and it is not read.
    package var maxPipelinedRequests = 32
    /// A connection is not read while its answers not yet sent (unwritten bytes and
    /// answers waiting for an earlier one) exceed this; reading resumes as they drain.
    package var maxUnsentResponseBytes = 64 * 1024
    /// Event-loop threads (each with its own listening socket via SO_REUSEPORT).
    package var loopCount = 1
    /// The `Server` response header; nil sends none.
    package var serverName: String? = nil

    package init() {}

    var parserLimits: RequestParser.Limits {
        .init(
            maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes,
            maxHeaderFields: maxHeaderFields, maxBodyBytes: maxBodyBytes)
    }
}

extension Duration {
    /// The duration in whole milliseconds, as the event loop counts time.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
