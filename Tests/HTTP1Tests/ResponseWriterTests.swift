import Testing

@testable import HTTP1

/// The exact bytes `ResponseWriter` puts on the wire, so that work on its speed cannot
/// change them.
@Suite struct ResponseWriterTests {
    static let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    func written(
        _ response: HTTPResponse, keepAlive: Bool = true, isHead: Bool = false, minor: Int = 1,
        serverName: String? = nil,
        after existing: String = ""
    ) -> String {
        var output = Array(existing.utf8)
        ResponseWriter.write(
            response, keepAlive: keepAlive, isHead: isHead, version: (1, minor), date: Self.date,
            serverName: serverName,
            into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static let json = HTTPResponse(
        status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"status":"ok"}"#.utf8))

    @Test func okOverHTTP11KeepAlive() {
        #expect(
            written(Self.json)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 15\r\n"
                + "Content-Type: application/json\r\n\r\n{\"status\":\"ok\"}")
    }

    @Test func appendsAfterWhatIsAlreadyBuffered() {
        #expect(
            written(HTTPResponse(status: 200), after: "HTTP/1.1 100 Continue\r\n\r\n")
                == "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n"
        )
    }

    @Test func closingAndHTTP10() {
        #expect(
            written(Self.json, keepAlive: false)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 15\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\n\r\n{\"status\":\"ok\"}")
        #expect(
            written(Self.json, minor: 0)
                == "HTTP/1.0 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 15\r\nConnection: keep-alive\r\n"
                + "Content-Type: application/json\r\n\r\n{\"status\":\"ok\"}")
        #expect(
            written(HTTPResponse(status: 404, text: "no\n"), keepAlive: false, minor: 0)
                == "HTTP/1.0 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 3\r\nConnection: close\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nno\n")
    }

    @Test func otherStatusesAndServerName() {
        #expect(
            written(HTTPResponse(status: 503, body: [65]), serverName: "dpbridge")
                == "HTTP/1.1 503 Service Unavailable\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: dpbridge\r\n"
                + "Content-Length: 1\r\n\r\nA")
        #expect(
            written(HTTPResponse(status: 299, body: [65]))
                == "HTTP/1.1 299 Status 299\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 1\r\n\r\nA")
        #expect(
            written(HTTPResponse(status: 200, body: Array(repeating: 66, count: 1234)), serverName: "x").hasPrefix(
                "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: x\r\nContent-Length: 1234\r\n\r\nBBB"
            ))
    }

    @Test func noBodyForHeadAnd204And304And1xx() {
        #expect(
            written(Self.json, isHead: true)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 15\r\n"
                + "Content-Type: application/json\r\n\r\n")
        #expect(
            written(HTTPResponse(status: 204, body: [65]))
                == "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
        #expect(
            written(HTTPResponse(status: 304, body: [65]))
                == "HTTP/1.1 304 Status 304\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
        #expect(
            written(HTTPResponse(status: 101, body: [65]))
                == "HTTP/1.1 101 Status 101\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
    }

    @Test func framingHeadersOfTheHandlerAreDropped() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                ("content-length", "99"), ("CONNECTION", "upgrade"), ("Date", "yesterday"),
                ("Transfer-Encoding", "chunked"),
                ("X-Kept", "yes"),
            ], body: [65])
        #expect(
            written(response)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 1\r\nX-Kept: yes\r\n\r\nA"
        )
    }

    @Test func carriageReturnsLineFeedsAndColonsInNamesNeverReachTheWire() {
        let response = HTTPResponse(
            status: 200, headers: [("X-Evil\r\nSet-Cookie: a", "b\r\nSet-Cookie: c\n"), ("Ünï:cødé", "välüe ✓")],
            body: [])
        #expect(
            written(response)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n"
                + "X-EvilSet-Cookie a: bSet-Cookie: c\r\nÜnïcødé: välüe ✓\r\n\r\n")
    }

    /// The header lines are encoded when the headers are set: changing them afterwards
    /// must change what is written.
    @Test func headersChangedAfterTheResponseWasMadeAreWritten() {
        var response = Self.json
        response.headers.add("Retry-After", "5")
        #expect(
            written(response)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 15\r\n"
                + "Content-Type: application/json\r\nRetry-After: 5\r\n\r\n{\"status\":\"ok\"}")
        response.headers.remove("content-type")
        response.headers = HTTPHeaders([("X-Only", "1")])
        #expect(written(response).contains("\r\nContent-Length: 15\r\nX-Only: 1\r\n\r\n{"))
        response.headers = []
        #expect(written(response).hasSuffix("\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}"))
    }
}
