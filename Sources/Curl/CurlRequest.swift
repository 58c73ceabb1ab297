import Foundation

/// One HTTP request for `CurlClient.perform(_:)`.
package struct CurlRequest: Sendable {
    package var method: CurlMethod
    /// The full URL, already percent-encoded (`CurlClient` does not encode it).
    package var url: String
    package var headers: CurlHeaders
    /// The request body; nil sends none (an empty body for PUT/POST/PATCH sends `Content-Length: 0`).
    package var body: Data?
    /// How long to wait for the TCP (and TLS) connection; nil uses the client's default.
    package var connectTimeout: Duration?
    /// How long the whole transfer may take; nil uses the client's default.
    package var timeout: Duration?
    /// `user:password` for HTTP Basic authentication, if any.
    package var basicAuth: (user: String, password: String)?
    /// Connect to this Unix socket instead of the URL's host and port (the URL still
    /// gives the path and the `Host` header: `http://localhost/status`).
    package var unixSocketPath: String?
    /// Connect directly even when `http_proxy` and the like are set (a local listener).
    package var bypassProxy: Bool

    package init(
        method: CurlMethod = .get, url: String, headers: CurlHeaders = [:], body: Data? = nil,
        connectTimeout: Duration? = nil, timeout: Duration? = nil,
        basicAuth: (user: String, password: String)? = nil, unixSocketPath: String? = nil,
        bypassProxy: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.basicAuth = basicAuth
        self.unixSocketPath = unixSocketPath
        self.bypassProxy = bypassProxy
    }
}
