import Testing

@testable import HTTP1

let testLimits = RequestParser.Limits(
    maxRequestLineBytes: 8192, maxHeaderBytes: 32768, maxHeaderFields: 100, maxBodyBytes: 1 << 20)

/// Feeds `bytes` in pieces of `step` bytes and collects the events, stopping at the first error.
func parse(_ bytes: [UInt8], step: Int? = nil, limits: RequestParser.Limits = testLimits) -> [String] {
    var parser = RequestParser(limits: limits)
    var events: [String] = []
    var offset = 0
    let size = step ?? max(bytes.count, 1)
    repeat {
        let end = min(bytes.count, offset + size)
        parser.append(Array(bytes[offset..<end]))
        offset = end
        loop: while true {
            switch parser.next() {
            case .needMore: break loop
            case .continueNeeded: events.append("100")
            case .error(let error):
                events.append("\(error.status)")
                return events
            case .request(let request):
                events.append(
                    "\(request.method) \(request.target) body=\(String(decoding: request.body, as: UTF8.self)) ka=\(request.keepAlive)"
                )
            }
        }
    } while offset < bytes.count
    return events
}

func parse(_ text: String, step: Int? = nil, limits: RequestParser.Limits = testLimits) -> [String] {
    parse(Array(text.utf8), step: step, limits: limits)
}

@Suite struct RequestParserTests {
    /// (request, expected events) — valid requests.
    static let valid: [(String, [String])] = [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", ["GET / body= ka=true"]),
        ("GET /x?y=1 HTTP/1.0\r\n\r\n", ["GET /x?y=1 body= ka=false"]),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", ["GET / body= ka=true"]),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", ["GET / body= ka=false"]),
        ("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n", ["HEAD /h body= ka=true"]),
        ("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", ["POST /p body=hello ka=true"]),
        (
            "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            ["POST /p body=hello ka=true"]
        ),
        ("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", ["POST /p body=hello ka=true"]),
        (
            "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1;x\r\n world\r\n0\r\n\r\n",
            ["POST /c body=hello world ka=true"]
        ),
        (
            "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n",
            ["POST /c body=0123456789 ka=true"]
        ),
        (
            "POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
            ["POST /e body=ok ka=true"]
        ),
        ("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", ["GET / body= ka=true"]),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Obs: caf\u{E9}\r\n\r\n", ["GET / body= ka=true"]),
        (
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
            ["GET /1 body= ka=true", "GET /2 body= ka=true"]
        ),
        ("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", ["OPTIONS * body= ka=true"]),
        // The absolute form (RFC 9112 §3.2.2): served as its path and query.
        (
            "GET http://example.com/callbacks/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
            ["GET /callbacks/x?y=1 body= ka=true"]
        ),
        ("GET HTTPS://example.com:8443/a/b HTTP/1.1\r\nHost: other\r\n\r\n", ["GET /a/b body= ka=true"]),
        ("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", ["GET / body= ka=true"]),
        ("GET http://example.com?q=1 HTTP/1.0\r\n\r\n", ["GET /?q=1 body= ka=false"]),
        ("POST http://[::1]:80/p HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok", ["POST /p body=ok ka=true"]),
    ]

    /// (request, status) — each rejection.
    static let invalid: [(String, String)] = [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1e3\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", "400"),
        ("GET / HTTP/1.1\nHost: a\n\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\r\nBad@Name: x\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", "400"),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "400"),
        ("GET / HTTQ/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505"),
        ("GET / HTTP/1.1\r\n\r\n", "400"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", "501"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "400"),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", "400"),
        ("POST / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\n\r\n", "417"),
        ("GET nowhere HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET http://user@example.com/x HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET ftp://example.com/x HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET http:/example.com/x HTTP/1.1\r\nHost: a\r\n\r\n", "400"),
        ("GET http://example.com/x HTTP/1.1\r\n\r\n", "400"),
    ]

    @Test(arguments: valid.indices) func validRequestParses(_ index: Int) {
        let (text, expected) = Self.valid[index]
        #expect(parse(text) == expected, "\(text.debugDescription)")
    }

    @Test(arguments: valid.indices) func validRequestParsesWhenSplitAtEveryByte(_ index: Int) {
        let (text, expected) = Self.valid[index]
        let bytes = Array(text.utf8)
        // Every single split point, then byte by byte.
        for split in 1..<bytes.count {
            var parser = RequestParser(limits: testLimits)
            var events: [String] = []
            for part in [Array(bytes[..<split]), Array(bytes[split...])] {
                parser.append(part)
                loop: while true {
                    switch parser.next() {
                    case .needMore: break loop
                    case .continueNeeded: continue
                    case .error(let error):
                        events.append("\(error.status)")
                        break loop
                    case .request(let r):
                        events.append(
                            "\(r.method) \(r.target) body=\(String(decoding: r.body, as: UTF8.self)) ka=\(r.keepAlive)")
                    }
                }
            }
            #expect(events == expected, "split at \(split) of \(text.debugDescription)")
        }
        #expect(parse(text, step: 1).filter { $0 != "100" } == expected)
    }

    @Test(arguments: invalid.indices) func invalidRequestIsRejected(_ index: Int) {
        let (text, status) = Self.invalid[index]
        #expect(parse(text).last == status, "\(text.debugDescription)")
        #expect(parse(text, step: 1).last == status, "byte by byte: \(text.debugDescription)")
    }

    /// The token bitmap is exactly RFC 9110's tchar, for all 256 byte values.
    @Test func tokenBytesAreExactlyTheTcharsOfRFC9110() {
        let tchars = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(RequestParser.isTokenByte(byte) == tchars.contains(byte), "byte \(byte)")
        }
    }

    @Test func limitsGiveTheirStatuses() {
        let small = RequestParser.Limits(
            maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderFields: 3, maxBodyBytes: 10)
        #expect(
            parse("GET /\(String(repeating: "a", count: 100)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: small) == ["414"])
        #expect(parse("GET /\(String(repeating: "a", count: 100))", limits: small) == ["414"])
        #expect(
            parse("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 200))\r\n\r\n", limits: small) == [
                "431"
            ])
        #expect(
            parse("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 200))", limits: small) == ["431"])
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == ["431"])
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: small) == ["GET / body= ka=true"])
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: small) == ["413"])
        #expect(
            parse(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n", limits: small)
                == ["413"])
        #expect(
            parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: small) == [
                "POST / body=0123456789 ka=true"
            ])
    }

    /// A chunked body counts against the limit as sent: size lines, extensions and
    /// trailers too, so 1-byte chunks with long extensions cannot grow without bound.
    @Test func chunkFramingCountsAgainstTheBodyLimit() {
        let limit32 = RequestParser.Limits(
            maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderFields: 3, maxBodyBytes: 32)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        // 15 bytes as sent: within the limit.
        #expect(parse(head + "5\r\nhello\r\n0\r\n\r\n", limits: limit32) == ["POST / body=hello ka=true"])
        // One byte of data, but an extension takes the size line over the limit.
        #expect(
            parse(head + "1;ext=\(String(repeating: "e", count: 40))\r\nx\r\n0\r\n\r\n", limits: limit32) == ["413"])
        #expect(
            parse(head + "1;ext=\(String(repeating: "e", count: 40))", limits: limit32) == ["413"],
            "before the line ends")
        // Trailers count too.
        #expect(
            parse(head + "1\r\nx\r\n0\r\nX-T: \(String(repeating: "t", count: 30))\r\n\r\n", limits: limit32) == ["413"]
        )
        #expect(parse(head + "1\r\nx\r\n0\r\nX-T: t\r\n\r\n", limits: limit32) == ["POST / body=x ka=true"])
        // The flood: 1-byte chunks with 4,000 bytes of extensions each (size lines stay
        // under their 4 KiB limit) stop at the 1 MiB limit, however the bytes arrive.
        let chunk = "1;\(String(repeating: "e", count: 4000))\r\nx\r\n"
        let flood = head + String(repeating: chunk, count: 300)
        #expect(parse(flood) == ["413"])
        #expect(parse(flood, step: 1000) == ["413"])
    }

    /// After a large request the parser gives its storage back; after small ones it keeps it.
    @Test func storageOfALargeRequestIsGivenBack() {
        var parser = RequestParser(limits: testLimits)
        parser.append(
            Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 500000\r\n\r\n".utf8)
                + [UInt8](repeating: 0x62, count: 500_000))
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body.count == 500_000)
        #expect(parser.bufferCapacity <= RequestParser.keptCapacity)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .request = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(parser.bufferCapacity > 0, "a small buffer is kept for the next request")
    }

    @Test func expectContinueIsAnnouncedOnceBeforeTheBody() {
        var parser = RequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .continueNeeded = parser.next() else {
            Issue.record("no 100")
            return
        }
        guard case .needMore = parser.next() else {
            Issue.record("100 twice")
            return
        }
        parser.append(Array("abc".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body == Array("abc".utf8))
        // An oversized body is refused instead of invited.
        #expect(
            parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n") == ["413"])
    }

    @Test func headersAreCaseInsensitive() {
        var parser = RequestParser(limits: testLimits)
        parser.append(Array("GET / HTTP/1.1\r\nhOsT: example\r\nX-Api-Key:  secret  \r\n\r\n".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.headers["host"] == "example")
        #expect(request.headers["x-api-key"] == "secret")
        #expect(request.path == "/")
    }

    /// An absolute-form target gives the router its path and query, and its authority
    /// stands for the Host field (RFC 9112 §3.2.2).
    @Test func absoluteFormGivesPathQueryAndHost() {
        var parser = RequestParser(limits: testLimits)
        parser.append(
            Array(
                "GET http://api.example.com:8080/callbacks/s?x=1&y HTTP/1.1\r\nHost: wrong\r\nAccept: */*\r\n\r\n".utf8)
        )
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.target == "/callbacks/s?x=1&y")
        #expect(request.path == "/callbacks/s")
        #expect(request.query == "x=1&y")
        #expect(request.headers.values("Host") == ["api.example.com:8080"])
        #expect(request.headers["Accept"] == "*/*")
    }

    /// The path ends where the parser saw the first `?`; a target set later finds it again.
    @Test func thePathEndsAtTheFirstQuestionMark() {
        var parser = RequestParser(limits: testLimits)
        parser.append(Array("GET /a/b?c=1?d HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        guard case .request(var request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.path == "/a/b" && request.query == "c=1?d")
        #expect(request.withPathBytes { Array($0) } == Array("/a/b".utf8))
        request.target = "/other"
        #expect(request.path == "/other" && request.query == nil)
        let made = HTTPRequest(method: "GET", target: "/x?", headers: [], body: [], version: (1, 1), keepAlive: true)
        #expect(made.path == "/x" && made.query == "")
    }

    @Test func afterAnErrorTheParserStaysFailed() {
        var parser = RequestParser(limits: testLimits)
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .error = parser.next() else {
            Issue.record("expected error")
            return
        }
        guard case .error = parser.next() else {
            Issue.record("expected error again")
            return
        }
    }

    @Test func httpDateIsIMFFixdate() {
        #expect(
            String(decoding: ResponseWriter.httpDate(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(
            String(decoding: ResponseWriter.httpDate(1_795_000_000), as: UTF8.self) == "Wed, 18 Nov 2026 11:06:40 GMT")
    }
}
