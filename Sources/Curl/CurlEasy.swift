internal import CCurl
internal import CCurlShim
import Foundation

/// One libcurl easy handle, created in `init` and cleaned up in `deinit`. The handle keeps
/// its connections alive between transfers, so reusing it reuses the connection.
///
/// `@unchecked Sendable`: a handle is used by one thread at a time. `CurlClient`'s pool
/// hands it out exclusively for one transfer and takes it back afterwards.
final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes its human-readable error text here (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(CurlError) {
        try ensureCurlGlobalInit()
        guard let handle = curl_easy_init() else {
            throw .other(code: CURLE_FAILED_INIT.rawValue, url: "", message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one transfer, blocking the calling thread until it completes or fails.
    func perform(_ request: CurlRequest, configuration: CurlClient.Configuration) throws(CurlError)
        -> CurlResponse
    {
        // Reset clears the options of the previous transfer but keeps live connections.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let url = request.url
        var setupFailure: UInt32 = CURLE_OK.rawValue
        func check(_ code: CURLcode) {
            if code != CURLE_OK && setupFailure == CURLE_OK.rawValue { setupFailure = code.rawValue }
        }

        check(dpb_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check(dpb_curl_setopt_string(handle, CURLOPT_URL, url))
        // Worker threads must not get signals (libcurl's DNS timeouts use SIGALRM otherwise).
        check(dpb_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        let connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        let timeout = request.timeout ?? configuration.timeout
        check(dpb_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)))
        check(dpb_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)))
        check(dpb_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        check(dpb_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        check(dpb_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        check(dpb_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        check(dpb_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        check(dpb_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent))
        if let caFile = configuration.caFile {
            check(dpb_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        if let socketPath = request.unixSocketPath {
            check(dpb_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socketPath))
        }
        if request.bypassProxy {
            check(dpb_curl_setopt_string(handle, CURLOPT_NOPROXY, "*"))
        }

        switch request.method {
        case .get:
            check(dpb_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head:
            check(dpb_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .post, .put, .patch, .delete:
            if request.method != .post {
                check(dpb_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
            // DELETE without a body sends none; the others send Content-Length: 0 at least.
            if request.body != nil || request.method != .delete {
                let body = request.body ?? Data()
                check(dpb_curl_setopt_long(handle, CURLOPT_POST, 1))
                check(dpb_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                // COPYPOSTFIELDS copies the bytes, so `body` need not outlive this call.
                body.withUnsafeBytes { raw in
                    let empty: StaticString = ""
                    let pointer = raw.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                    check(dpb_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, pointer))
                }
            }
        }

        if let auth = request.basicAuth {
            check(dpb_curl_setopt_long(handle, CURLOPT_HTTPAUTH, curlAuthBasic))
            check(dpb_curl_setopt_string(handle, CURLOPT_USERNAME, auth.user))
            check(dpb_curl_setopt_string(handle, CURLOPT_PASSWORD, auth.password))
        }

        // "Expect:" with no value stops libcurl from waiting for 100-continue on large bodies.
        var lines = request.headers.map { "\($0.name): \($0.value)" }
        if request.headers["Expect"] == nil { lines.append("Expect:") }
        let headerList = CurlSList(lines)
        check(dpb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList.pointer))

        let sink = TransferSink(limit: configuration.maxResponseBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        check(dpb_curl_setopt_write_function(handle, transferWriteCallback))
        check(dpb_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, sinkPointer))
        check(dpb_curl_setopt_header_function(handle, transferHeaderCallback))
        check(dpb_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, sinkPointer))

        guard setupFailure == CURLE_OK.rawValue else {
            throw CurlError(code: setupFailure, message: Self.describe(setupFailure), url: url)
        }

        let result = withExtendedLifetime((sink, headerList)) { curl_easy_perform(handle) }
        // Drop the pointers into objects that die now; the next reset clears the rest.
        _ = dpb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
        _ = dpb_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, nil)
        _ = dpb_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, nil)

        guard result == CURLE_OK else {
            if result == CURLE_WRITE_ERROR && sink.overflowed {
                throw .responseTooLarge(url: url, limit: configuration.maxResponseBytes)
            }
            throw CurlError(code: result.rawValue, message: errorText(result.rawValue), url: url)
        }

        var status = 0
        var connects = 0
        var localPort = 0
        var totalTime = 0.0
        _ = dpb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = dpb_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        _ = dpb_curl_getinfo_long(handle, CURLINFO_LOCAL_PORT, &localPort)
        _ = dpb_curl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &totalTime)
        return CurlResponse(
            status: status, headers: CurlHeaders(sink.headers), body: sink.body,
            newConnections: connects, localPort: localPort, totalTime: totalTime)
    }

    /// libcurl's detailed text for the last failure, or its generic text for `code`.
    private func errorText(_ code: UInt32) -> String {
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return detail.isEmpty ? Self.describe(code) : detail
    }

    private static func describe(_ code: UInt32) -> String {
        String(cString: curl_easy_strerror(CURLcode(rawValue: code)))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// CURLAUTH_BASIC, a macro Swift cannot import.
private let curlAuthBasic = 1

/// Collects the body and the final response's header fields during one transfer.
private final class TransferSink {
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var overflowed = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            overflowed = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect): keep only what follows.
            headers.removeAll()
            body.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        headers.append((name: name, value: value))
    }
}

private let transferWriteCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        let length = size * count
        guard let data, let userdata, length > 0 else { return length }
        let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        let accepted = sink.appendBody(UnsafeRawBufferPointer(start: data, count: length))
        return accepted ? length : 0
    }

private let transferHeaderCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        let length = size * count
        guard let data, let userdata, length > 0 else { return length }
        let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        sink.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
        return length
    }
