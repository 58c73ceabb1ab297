import Foundation

/// What came back for a `CurlRequest`: status, headers and body, plus connection facts.
public struct CurlResponse: Sendable {
    /// The HTTP status code of the final response.
    public var status: Int
    /// The header fields of the final response (not those of `100 Continue` or earlier hops).
    public var headers: CurlHeaders
    public var body: Data
    /// How many new connections the transfer opened (0 when a kept-alive one was reused).
    public var newConnections: Int
    /// The local TCP port of the connection used.
    public var localPort: Int
    /// Seconds the whole transfer took.
    public var totalTime: Double

    public init(
        status: Int, headers: CurlHeaders = [:], body: Data = Data(),
        newConnections: Int = 0, localPort: Int = 0, totalTime: Double = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.newConnections = newConnections
        self.localPort = localPort
        self.totalTime = totalTime
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
