import Synchronization

/// A blocking HTTP client over libcurl, shared by worker threads.
///
/// Each `perform(_:)` runs on the calling thread with an easy handle taken from a small
/// pool and returned afterwards (last in, first out), so a worker that makes one request
/// after another gets the same handle back and reuses its kept-alive connection.
/// TLS peers are verified; proxy variables (`https_proxy`, `no_proxy`, …) are honoured
/// as libcurl does by default.
package final class CurlClient: Sendable {
    package struct Configuration: Sendable {
        /// Default time allowed for the TCP and TLS connection.
        package var connectTimeout: Duration
        /// Default time allowed for a whole transfer.
        package var timeout: Duration
        /// How many idle handles (each with its connections) the pool keeps.
        package var maxIdleHandles: Int
        /// Responses whose body grows beyond this are aborted.
        package var maxResponseBytes: Int
        package var userAgent: String
        /// A CA bundle to verify TLS peers against instead of the system's.
        package var caFile: String?

        package init(
            connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30),
            maxIdleHandles: Int = 8, maxResponseBytes: Int = 64 << 20,
            userAgent: String = "dpbridge", caFile: String? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxIdleHandles = maxIdleHandles
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
            self.caFile = caFile
        }
    }

    package let configuration: Configuration
    private let idle = Mutex<[CurlEasy]>([])

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends `request` and waits for the whole response. Throws only for transport
    /// failures; any HTTP status (including 4xx and 5xx) is a response.
    package func perform(_ request: CurlRequest) throws(CurlError) -> CurlResponse {
        let easy = try checkOut()
        defer { checkIn(easy) }
        return try easy.perform(request, configuration: configuration)
    }

    /// Number of idle handles in the pool (for tests and status).
    package var idleHandles: Int { idle.withLock { $0.count } }

    private func checkOut() throws(CurlError) -> CurlEasy {
        if let easy = idle.withLock({ $0.popLast() }) { return easy }
        return try CurlEasy()
    }

    private func checkIn(_ easy: CurlEasy) {
        idle.withLock { handles in
            if handles.count < configuration.maxIdleHandles { handles.append(easy) }
        }
    }
}
