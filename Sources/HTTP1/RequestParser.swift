import Glibc

/// Why a request was rejected: the status to answer with, and a short reason.
package struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package let status: Int
    package let reason: String
    package var description: String { "\(status) \(reason)" }
}

/// An incremental HTTP/1.1 request parser (RFC 9110/9112). Feed it bytes as they arrive
/// with `append`, then call `next()` until it answers `.needMore`. It never touches a
/// socket. After an `.error` the connection must be closed: the parser stays failed.
struct RequestParser {
    struct Limits: Sendable {
        var maxRequestLineBytes: Int
        var maxHeaderBytes: Int
        var maxHeaderFields: Int
        var maxBodyBytes: Int
    }

    enum Event {
        /// A complete request.
        case request(HTTPRequest)
        /// The head asked for `100 Continue` and its body has not arrived: send the interim response.
        case continueNeeded
        /// Nothing complete yet.
        case needMore
        /// The request is invalid; answer `status` and close.
        case error(HTTPParseError)
    }

    private struct Head {
        var request: HTTPRequest
        var expectsContinue: Bool
    }

    private enum State {
        case head
        case fixedBody(Head, length: Int, bodyStart: Int)
        case chunkedBody(Head, bodyStart: Int, cursor: Int, body: [UInt8])
        case failed(HTTPParseError)
    }

    let limits: Limits
    private var buffer: [UInt8] = []
    /// Offset of the first byte of the current request in `buffer`.
    private var start = 0
    /// Where the search for the end of the head resumes.
    private var scanFrom = 0
    private var state = State.head
    private var continueSent = false

    init(limits: Limits) {
        self.limits = limits
    }

    /// Between requests the buffer keeps its storage up to this size; a larger one (after
    /// a burst of pipelined requests or a large body) is given back, so that idle
    /// connections do not hold on to their peak.
    static let keptCapacity = 64 * 1024

    /// Storage the parser holds on to.
    var bufferCapacity: Int { buffer.capacity }

    /// Bytes of a request not yet delivered (a request in progress).
    var hasPartialRequest: Bool { buffer.count > start }

    /// True while a request's head has been parsed but its body is still arriving.
    var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkedBody: true
        default: false
        }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.keptCapacity)
            scanFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func next() -> Event {
        switch state {
        case .failed(let error):
            return .error(error)
        case .head:
            return parseHead()
        case .fixedBody(let head, let length, let bodyStart):
            if buffer.count - bodyStart >= length {
                var request = head.request
                request.body = Array(buffer[bodyStart..<(bodyStart + length)])
                return finish(request, end: bodyStart + length)
            }
            return continueOrMore(head)
        case .chunkedBody(let head, let bodyStart, let cursor, let body):
            state = .head  // The state lets go of `body`, so appending to it does not copy it.
            return parseChunks(head, bodyStart: bodyStart, cursor: cursor, body: body)
        }
    }

    private mutating func fail(_ status: Int, _ reason: String) -> Event {
        let error = HTTPParseError(status: status, reason: reason)
        state = .failed(error)
        return .error(error)
    }

    private mutating func finish(_ request: consuming HTTPRequest, end: Int) -> Event {
        start = end
        scanFrom = end
        state = .head
        continueSent = false
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.keptCapacity)
            start = 0
            scanFrom = 0
        } else if start > 64 * 1024 {
            buffer.removeSubrange(0..<start)
            scanFrom -= start
            start = 0
        }
        return .request(request)
    }

    private mutating func continueOrMore(_ head: Head) -> Event {
        if head.expectsContinue && !continueSent {
            continueSent = true
            return .continueNeeded
        }
        return .needMore
    }

    // MARK: - Head

    private mutating func parseHead() -> Event {
        // RFC 9112 §2.2: ignore empty lines before the request line.
        while buffer.count - start >= 2 && buffer[start] == 13 && buffer[start + 1] == 10 {
            start += 2
            scanFrom = max(scanFrom, start)
        }
        let count = buffer.count
        guard count > start else { return .needMore }
        let lineLimit = limits.maxRequestLineBytes
        let headLimit = lineLimit + 2 + limits.maxHeaderBytes + 2
        // Find the end of the head: CRLFCRLF.
        var end = -1
        var index = max(scanFrom, start)
        let searchEnd = min(count, start + headLimit)
        buffer.withUnsafeBufferPointer { bytes in
            while index + 3 < searchEnd {
                if bytes[index + 3] != 10 {
                    index += bytes[index + 3] == 13 ? 1 : 4
                    continue
                }
                if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 {
                    end = index
                    return
                }
                index += 1
            }
        }
        if end < 0 {
            // A bare CR or LF can never end a valid head: reject now rather than at a limit.
            let checkFrom = max(start, scanFrom - 1)
            var position = checkFrom
            while position < count {
                let byte = buffer[position]
                if byte == 10 && (position == start || buffer[position - 1] != 13) {
                    return fail(400, "bare LF in the request head")
                }
                if byte == 13 && position + 1 < count && buffer[position + 1] != 10 {
                    return fail(400, "bare CR in the request head")
                }
                position += 1
            }
            scanFrom = max(start, index)
            // Is the request line still incomplete, and too long?
            let lineEnd = firstCRLF(from: start, limit: min(count, start + lineLimit + 2))
            // Allow for a line ending or a head terminator that has only partly arrived,
            // so the verdict does not depend on how the bytes were split.
            if lineEnd < 0 {
                let pending = count - start
                if pending > lineLimit + 1 || (pending == lineLimit + 1 && buffer[count - 1] != 13) {
                    return fail(414, "request line longer than \(lineLimit) bytes")
                }
            } else if count - (lineEnd + 2) > limits.maxHeaderBytes + 3 {
                return fail(431, "header section larger than \(limits.maxHeaderBytes) bytes")
            }
            return .needMore
        }
        return buffer.withUnsafeBufferPointer { bytes in
            parseHead(bytes, from: start, to: end)
        }
    }

    private func firstCRLF(from: Int, limit: Int) -> Int {
        var index = from
        while index + 1 < limit {
            if buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            index += 1
        }
        return -1
    }

    /// Parses the head in `bytes[from..<to]` (`to` is where the final CRLFCRLF begins).
    private mutating func parseHead(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Event {
        // Request line: up to the first CR, which must start a CRLF, with no LF before it.
        // (`bytes[to]` is the CR of the final CRLFCRLF, so a CR is always found.)
        let lineEnd = Self.firstIndex(of: 13, in: bytes, from: from, to: to + 1) ?? to
        if bytes[lineEnd + 1] != 10 || Self.firstIndex(of: 10, in: bytes, from: from, to: lineEnd) != nil {
            return fail(400, "bare CR or LF in the request line")
        }
        if lineEnd - from > limits.maxRequestLineBytes {
            return fail(414, "request line longer than \(limits.maxRequestLineBytes) bytes")
        }
        var cursor = from
        while cursor < lineEnd && Self.isTokenByte(bytes[cursor]) { cursor += 1 }
        guard cursor > from, cursor < lineEnd, bytes[cursor] == 32 else { return fail(400, "invalid method") }
        let method =
            Self.known(Self.methods, in: bytes, from: from, to: cursor)
            ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<cursor]), as: UTF8.self)
        cursor += 1
        let targetStart = cursor
        var queryStart = -1
        while cursor < lineEnd && bytes[cursor] > 32 && bytes[cursor] < 127 {
            if bytes[cursor] == UInt8(ascii: "?") && queryStart < 0 { queryStart = cursor }
            cursor += 1
        }
        guard cursor > targetStart, cursor < lineEnd, bytes[cursor] == 32 else {
            return fail(400, "invalid request target")
        }
        var target = String(decoding: UnsafeBufferPointer(rebasing: bytes[targetStart..<cursor]), as: UTF8.self)
        var pathLength: Int? = (queryStart < 0 ? cursor : queryStart) - targetStart
        cursor += 1
        guard lineEnd - cursor == 8, bytes[cursor] == 72, bytes[cursor + 1] == 84, bytes[cursor + 2] == 84,
            bytes[cursor + 3] == 80, bytes[cursor + 4] == 47, bytes[cursor + 6] == 46,
            (48...57).contains(bytes[cursor + 5]), (48...57).contains(bytes[cursor + 7])
        else { return fail(400, "invalid HTTP version") }
        let major = Int(bytes[cursor + 5] - 48)
        let minor = Int(bytes[cursor + 7] - 48)
        guard major == 1 else { return fail(505, "only HTTP/1.x is supported") }
        var authority: String?
        if bytes[targetStart] != UInt8(ascii: "/") && target != "*" {
            // The absolute form, which a server MUST accept (RFC 9112 §3.2.2): routes see its path and query.
            guard let absolute = Self.originForm(ofAbsolute: target) else { return fail(400, "invalid request target") }
            target = absolute.target
            authority = absolute.authority
            pathLength = nil  // found again in the new target
        }

        // Header fields (room for a typical request's, so the list grows once).
        var headers = HTTPHeaders(reservingCapacity: 8)
        var line = lineEnd + 2
        let headerBytes = to - line
        if headerBytes > limits.maxHeaderBytes {
            return fail(431, "header section larger than \(limits.maxHeaderBytes) bytes")
        }
        while line < to {
            // The line ends at the next CRLF; a bare CR before it is refused below.
            var lineStop = Self.firstIndex(of: 13, in: bytes, from: line, to: to) ?? to
            while lineStop < to && bytes[lineStop + 1] != 10 {
                lineStop = Self.firstIndex(of: 13, in: bytes, from: lineStop + 1, to: to) ?? to
            }
            if bytes[line] == 32 || bytes[line] == 9 { return fail(400, "obsolete line folding") }
            var colon = line
            while colon < lineStop && Self.isTokenByte(bytes[colon]) { colon += 1 }
            guard colon < lineStop, colon > line else { return fail(400, "invalid header field name") }
            guard bytes[colon] == 58 else {
                if bytes[colon] == 32 || bytes[colon] == 9 { return fail(400, "whitespace before colon") }
                return fail(400, "invalid character in header field name")
            }
            var valueStart = colon + 1
            var valueEnd = lineStop
            while valueStart < valueEnd && (bytes[valueStart] == 32 || bytes[valueStart] == 9) { valueStart += 1 }
            while valueEnd > valueStart && (bytes[valueEnd - 1] == 32 || bytes[valueEnd - 1] == 9) { valueEnd -= 1 }
            for position in valueStart..<valueEnd {
                let byte = bytes[position]
                if byte == 13 || byte == 10 { return fail(400, "bare CR or LF in a header field") }
                if (byte < 32 && byte != 9) || byte == 127 { return fail(400, "control character in a header field") }
            }
            if headers.count == limits.maxHeaderFields {
                return fail(431, "more than \(limits.maxHeaderFields) header fields")
            }
            headers.add(
                Self.known(Self.fieldNames, in: bytes, from: line, to: colon)
                    ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[line..<colon]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self))
            line = lineStop + 2
        }
        return interpret(
            method: method, target: consume target, authority: authority, pathLength: pathLength, major: major,
            minor: minor, headers: consume headers, bodyStart: to + 4)
    }

    /// The origin form (path and query) and the authority of an absolute-form target
    /// (`http://host:port/path?query`), or nil when it is not an `http` or `https` URI
    /// with a host and without user information (RFC 9110 §4.2).
    static func originForm(ofAbsolute target: String) -> (target: String, authority: String)? {
        let utf8 = target.utf8
        let scheme = utf8.prefix(8).map { $0 | 0x20 }  // lowercase letters; ':' and '/' stay apart
        let schemeLength: Int
        if scheme.starts(with: "http://".utf8) {
            schemeLength = 7
        } else if scheme.starts(with: "https://".utf8) {
            schemeLength = 8
        } else {
            return nil
        }
        let rest = utf8.dropFirst(schemeLength)
        let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = String(Substring(rest[rest.startIndex..<end]))
        guard !authority.isEmpty, !authority.utf8.contains(UInt8(ascii: "@")) else { return nil }
        let remainder = String(Substring(rest[end...]))
        return (remainder.utf8.first == UInt8(ascii: "/") ? remainder : "/" + remainder, authority)
    }

    // MARK: - Semantics

    private mutating func interpret(
        method: String, target: consuming String, authority: String?, pathLength: Int?, major: Int, minor: Int,
        headers: consuming HTTPHeaders, bodyStart: Int
    ) -> Event {
        // (`consuming`: the target and the fields move into the request uncopied.)
        // One pass over the fields for everything framing depends on.
        var hostCount = 0
        var connectionValues: [String] = []
        var expectation: String?
        var transferEncodings: [String] = []
        var contentLengths: [String] = []
        for field in headers.fields {
            switch field.name.utf8.count {
            case 4 where HTTPHeaders.equalsIgnoringCase(field.name, "Host"):
                hostCount += 1
            case 6 where HTTPHeaders.equalsIgnoringCase(field.name, "Expect"):
                expectation = field.value
            case 10 where HTTPHeaders.equalsIgnoringCase(field.name, "Connection"):
                connectionValues.append(field.value)
            case 14 where HTTPHeaders.equalsIgnoringCase(field.name, "Content-Length"):
                contentLengths.append(field.value)
            case 17 where HTTPHeaders.equalsIgnoringCase(field.name, "Transfer-Encoding"):
                transferEncodings.append(field.value)
            default:
                break
            }
        }
        if minor >= 1 && hostCount != 1 { return fail(400, hostCount == 0 ? "missing Host" : "more than one Host") }
        if minor == 0 && hostCount > 1 { return fail(400, "more than one Host") }
        if let authority {
            // The target's authority, not the Host field, names the host (RFC 9112 §3.2.2).
            headers.remove("Host")
            headers.add("Host", authority)
        }

        var keepAlive = minor >= 1
        for value in connectionValues {
            for token in value.split(separator: ",") {
                let option = token.trimmingSpaces.lowercased()
                if option == "close" { keepAlive = false }
                if option == "keep-alive" && minor == 0 { keepAlive = true }
            }
        }

        var expectsContinue = false
        if let expectation {
            guard expectation.trimmingSpaces.lowercased() == "100-continue" else {
                return fail(417, "unsupported expectation")
            }
            expectsContinue = minor >= 1
        }

        // Made once and moved on (`consume`): a copy is a retain and a release of each of
        // its strings and arrays, on every request.
        let request = HTTPRequest(
            method: method, target: target, pathLength: pathLength, headers: headers, body: [],
            version: (major, minor), keepAlive: keepAlive)

        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty { return fail(400, "both Content-Length and Transfer-Encoding") }
            if minor == 0 { return fail(400, "Transfer-Encoding in an HTTP/1.0 request") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
            for coding in codings where coding != "chunked" {
                return fail(501, "unsupported transfer coding '\(coding.prefix(40))'")
            }
            guard codings.count == 1 else { return fail(400, "chunked applied more than once") }
            let head = Head(request: consume request, expectsContinue: expectsContinue)
            return parseChunks(head, bodyStart: bodyStart, cursor: bodyStart, body: [])
        }

        var length = 0
        if !contentLengths.isEmpty {
            var seen: Int?
            for value in contentLengths {
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let text = item.trimmingSpaces
                    guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                        let number = Int(text)
                    else { return fail(400, "invalid Content-Length") }
                    if let seen, seen != number { return fail(400, "conflicting Content-Length values") }
                    seen = number
                }
            }
            length = seen ?? 0
        }
        if length > limits.maxBodyBytes {
            return fail(413, "body larger than \(limits.maxBodyBytes) bytes")
        }
        if length == 0 {
            return finish(consume request, end: bodyStart)
        }
        if buffer.count - bodyStart >= length {
            var complete = consume request
            complete.body = Array(buffer[bodyStart..<(bodyStart + length)])
            return finish(complete, end: bodyStart + length)
        }
        let head = Head(request: consume request, expectsContinue: expectsContinue)
        state = .fixedBody(head, length: length, bodyStart: bodyStart)
        return continueOrMore(head)
    }

    // MARK: - Chunked bodies

    /// Decodes chunks from `cursor` on. The whole chunked body as sent (`bodyStart` on),
    /// framing included — size lines, extensions, trailers — counts against the body
    /// limit, so that a body of tiny chunks with long extensions cannot grow without bound.
    private mutating func parseChunks(_ head: Head, bodyStart: Int, cursor start: Int, body: consuming [UInt8]) -> Event
    {
        var cursor = start
        let count = buffer.count
        let limit = limits.maxBodyBytes
        while true {
            // A chunk-size line: hex digits, optional extensions, CRLF.
            let lineEnd = firstCRLF(from: cursor, limit: min(count, cursor + 4096))
            if lineEnd < 0 {
                if count - bodyStart > limit { return tooLarge() }
                if count - cursor >= 4096 { return fail(400, "chunk size line too long") }
                break
            }
            var index = cursor
            var size = 0
            var digits = 0
            while index < lineEnd, let value = Self.hexValue(buffer[index]) {
                size = size &* 16 &+ value
                digits += 1
                index += 1
                if digits > 15 { return fail(413, "chunk too large") }
            }
            guard digits > 0 else { return fail(400, "invalid chunk size") }
            // Chunk extensions: `;name[=value]`, skipped but checked for control characters.
            while index < lineEnd {
                let byte = buffer[index]
                if byte == 13 || byte == 10 || (byte < 32 && byte != 9) || byte == 127 {
                    return fail(400, "invalid chunk extension")
                }
                index += 1
            }
            if size == 0 {
                // Last chunk, then trailer fields, then CRLF.
                var line = lineEnd + 2
                var fields = 0
                while true {
                    let stop = firstCRLF(from: line, limit: min(count, line + limits.maxHeaderBytes + 2))
                    if stop < 0 {
                        if count - bodyStart > limit { return tooLarge() }
                        if count - line > limits.maxHeaderBytes { return fail(431, "trailer section too large") }
                        state = .chunkedBody(head, bodyStart: bodyStart, cursor: cursor, body: body)
                        return continueOrMore(head)
                    }
                    if stop + 2 - bodyStart > limit { return tooLarge() }
                    if stop == line {
                        var request = head.request
                        request.body = body
                        return finish(request, end: stop + 2)
                    }
                    let trailerBytes = stop + 2 - (lineEnd + 2)
                    fields += 1
                    if trailerBytes > limits.maxHeaderBytes { return fail(431, "trailer section too large") }
                    if fields > limits.maxHeaderFields { return fail(431, "too many trailer fields") }
                    if buffer[line] == 32 || buffer[line] == 9 { return fail(400, "obsolete line folding") }
                    for position in line..<stop where buffer[position] == 13 || buffer[position] == 10 {
                        return fail(400, "bare CR or LF in a trailer field")
                    }
                    line = stop + 2
                }
            }
            let dataStart = lineEnd + 2
            if dataStart + size + 2 - bodyStart > limit { return tooLarge() }
            guard count - dataStart >= size + 2 else { break }
            guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else {
                return fail(400, "chunk data not followed by CRLF")
            }
            body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            cursor = dataStart + size + 2
        }
        state = .chunkedBody(head, bodyStart: bodyStart, cursor: cursor, body: body)
        return continueOrMore(head)
    }

    private mutating func tooLarge() -> Event {
        fail(413, "chunked body larger than \(limits.maxBodyBytes) bytes, framing included")
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: Int(byte - 48)
        case 65...70: Int(byte - 55)
        case 97...102: Int(byte - 87)
        default: nil
        }
    }

    /// The index of the first `byte` in `bytes[from..<to]`, or nil (glibc's vectorised memchr).
    @inline(__always)
    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress, let found = memchr(base + from, Int32(byte), to - from) else {
            return nil
        }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The entry of `names` spelled exactly as `bytes[from..<to]`, or nil. Their strings
    /// are made once, so most requests' method and field names need neither validation
    /// nor a new string.
    @inline(__always)
    private static func known(_ names: [KnownName], in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String?
    {
        let count = to - from
        for name in names
        where name.spelling.utf8CodeUnitCount == count
            && memcmp(name.spelling.utf8Start, bytes.baseAddress! + from, count) == 0
        {
            return name.text
        }
        return nil
    }

    private struct KnownName {
        let spelling: StaticString
        let text: String
        init(_ spelling: StaticString) {
            self.spelling = spelling
            text = spelling.description
        }
    }

    private static let methods: [KnownName] = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"].map(
        KnownName.init)
    private static let fieldNames: [KnownName] = [
        "Host", "host", "User-Agent", "user-agent", "Accept", "accept", "Content-Type", "content-type",
        "Content-Length",
        "content-length", "Connection", "connection", "X-Forwarded-For", "x-forwarded-for", "Authorization",
        "Accept-Encoding", "X-Real-IP", "X-Forwarded-Proto", "Expect", "Transfer-Encoding",
    ].map(KnownName.init)

    /// tchar of RFC 9110 §5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        // A bitmap of the 128 ASCII bytes, in constants: no table to load on each byte.
        byte < 64
            ? (tokenBitsLow >> UInt64(byte)) & 1 == 1 : byte < 128 && (tokenBitsHigh >> UInt64(byte - 64)) & 1 == 1
    }

    /// Bytes 0–63 that are tchars: `!#$%&'*+-.` and digits.
    private static let tokenBitsLow: UInt64 = 0x03FF_6CFA_0000_0000
    /// Bytes 64–127 that are tchars: letters and `^_`|~`.
    private static let tokenBitsHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (OWS).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
