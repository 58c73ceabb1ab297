internal import CCurl

/// Why a transfer failed before a complete HTTP response arrived.
package enum CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name (or proxy name) could not be resolved.
    case couldNotResolve(url: String, message: String)
    /// Nobody accepted the TCP connection (refused, unreachable, or connect timeout).
    case couldNotConnect(url: String, message: String)
    /// The connect or total timeout ran out.
    case timedOut(url: String, message: String)
    /// The TLS handshake failed or the peer's certificate did not verify.
    case tls(url: String, message: String)
    /// The connection broke while sending or receiving, or the reply was empty or cut short.
    case connectionLost(url: String, message: String)
    /// The response body exceeded the configured limit; the transfer was aborted.
    case responseTooLarge(url: String, limit: Int)
    /// The request itself is unusable (malformed URL, unsupported scheme, bad option).
    case invalidRequest(url: String, message: String)
    /// Any other libcurl failure; `code` is the `CURLcode`.
    case other(code: UInt32, url: String, message: String)

    /// Maps a `CURLcode` and libcurl's error text to a case.
    init(code: UInt32, message: String, url: String) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_RESOLVE_PROXY.rawValue:
            self = .couldNotResolve(url: url, message: message)
        case CURLE_COULDNT_CONNECT.rawValue:
            self = .couldNotConnect(url: url, message: message)
        case CURLE_OPERATION_TIMEDOUT.rawValue:
            self = .timedOut(url: url, message: message)
        case CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_PEER_FAILED_VERIFICATION.rawValue,
            CURLE_SSL_CERTPROBLEM.rawValue, CURLE_SSL_CIPHER.rawValue,
            CURLE_SSL_CACERT_BADFILE.rawValue, CURLE_SSL_ISSUER_ERROR.rawValue,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH.rawValue, CURLE_SSL_INVALIDCERTSTATUS.rawValue:
            self = .tls(url: url, message: message)
        case CURLE_SEND_ERROR.rawValue, CURLE_RECV_ERROR.rawValue, CURLE_GOT_NOTHING.rawValue,
            CURLE_PARTIAL_FILE.rawValue, CURLE_WEIRD_SERVER_REPLY.rawValue,
            CURLE_HTTP2.rawValue, CURLE_HTTP2_STREAM.rawValue:
            self = .connectionLost(url: url, message: message)
        case CURLE_URL_MALFORMAT.rawValue, CURLE_UNSUPPORTED_PROTOCOL.rawValue,
            CURLE_BAD_FUNCTION_ARGUMENT.rawValue, CURLE_UNKNOWN_OPTION.rawValue:
            self = .invalidRequest(url: url, message: message)
        default:
            self = .other(code: code, url: url, message: message)
        }
    }

    /// Whether trying again later may succeed (everything but an unusable request).
    package var isRetryable: Bool {
        switch self {
        case .invalidRequest, .responseTooLarge: false
        default: true
        }
    }

    package var description: String {
        switch self {
        case .couldNotResolve(let url, let message):
            "cannot resolve the host of \(url): \(message)"
        case .couldNotConnect(let url, let message):
            "cannot connect to \(url): \(message)"
        case .timedOut(let url, let message):
            "request to \(url) timed out: \(message)"
        case .tls(let url, let message):
            "TLS failure with \(url): \(message)"
        case .connectionLost(let url, let message):
            "connection to \(url) broke: \(message)"
        case .responseTooLarge(let url, let limit):
            "response from \(url) exceeds \(limit) bytes; transfer aborted"
        case .invalidRequest(let url, let message):
            "invalid request for \(url): \(message)"
        case .other(let code, let url, let message):
            "libcurl error \(code) for \(url): \(message)"
        }
    }
}
