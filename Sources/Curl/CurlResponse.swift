import Foundation

/// What came back for a `CurlRequest`: status, headers and body, plus connection facts.
package struct CurlResponse: Sendable {
    /// The HTTP status code of the final response.
    package var status: Int
    /// The header fields of the final response (not those of `100 Continue` or earlier hops).
    package var headers: CurlHeaders
    package var body: Data
    /// How many new connections the transfer opened (0 when a kept-alive one was reused).
    package var newConnections: Int
    /// The local TCP port of the connection used.
    package var localPort: Int
    /// Seconds the whole transfer took.
    package var totalTime: Double

    package init(
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
    package var text: String { String(decoding: body, as: UTF8.self) }
}
