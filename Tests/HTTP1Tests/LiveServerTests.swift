import Foundation
import HTTP1
import Synchronization
import TestSupport
import Testing

/// A server on an ephemeral loopback port with a few routes, stopped at the end.
final class LiveServer {
    let server: HTTPServer
    let port: Int

    init(configure: (inout ServerConfiguration) -> Void = { _ in }, routes: (inout Router) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configure(&configuration)
        var router = Router()
        router.add("GET", "/ping") { _, responder in responder.respond(HTTPResponse(status: 200, text: "pong")) }
        router.add("GET", "/echo/:word") { request, responder in
            responder.respond(HTTPResponse(status: 200, text: request.pathParameters["word"] ?? "?"))
        }
        router.add("POST", "/upload") { request, responder in
            responder.respond(
                HTTPResponse(
                    status: 200,
                    text: "\(request.body.count):\(String(decoding: request.body.prefix(20), as: UTF8.self))"))
        }
        router.add("GET", "/later/:ms") { request, responder in
            let delay = Double(request.pathParameters["ms"] ?? "0")! / 1000
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                responder.respond(HTTPResponse(status: 200, text: "later \(request.pathParameters["ms"]!)"))
            }
        }
        router.add("GET", "/big") { _, responder in
            responder.respond(HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 16 << 20)))
        }
        routes(&router)
        server = HTTPServer(configuration: configuration, router: router)
        port = try server.bind(host: "127.0.0.1", port: 0)
        try server.start()
    }

    deinit { server.shutdown(deadline: .milliseconds(200)) }

    var url: String { "http://127.0.0.1:\(port)" }
}

func curl(_ arguments: [String]) throws -> ProcessResult {
    try runProcess("/usr/bin/curl", ["-sS", "--max-time", "10"] + arguments)
}

func python(_ script: String) throws -> ProcessResult {
    try runProcess("/usr/bin/env", ["python3", "-c", script])
}

@Suite struct LiveServerTests {
    @Test func answersWithDateContentLengthAndRoutes() throws {
        let live = try LiveServer()
        let result = try curl(["-i", "\(live.url)/ping"])
        #expect(result.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(result.stdout.contains("\r\nDate: "))
        #expect(result.stdout.contains("\r\nContent-Length: 4\r\n"))
        #expect(result.stdout.hasSuffix("\r\n\r\npong"))
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", "\(live.url)/nowhere"]).stdout == "404")
        let wrongMethod = try curl(["-i", "-X", "DELETE", "\(live.url)/ping"])
        #expect(wrongMethod.stdout.hasPrefix("HTTP/1.1 405"))
        #expect(wrongMethod.stdout.contains("Allow: GET"))
        #expect(try curl(["\(live.url)/echo/hello"]).stdout == "hello")
    }

    @Test func headHasLengthButNoBody() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        client.send("HEAD /ping HTTP/1.1\r\nHost: x\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.receive(until: "pong").text
        let responses = text.components(separatedBy: "HTTP/1.1 200 OK").dropFirst()
        #expect(responses.count == 2)
        #expect(responses.first?.contains("Content-Length: 4\r\n") == true)
        #expect(responses.first?.hasSuffix("\r\n\r\n") == true, "HEAD must have no body: \(text)")
        #expect(text.components(separatedBy: "pong").count == 2)
    }

    @Test func keepAliveReusesOneConnectionWithPythonClient() throws {
        let live = try LiveServer()
        let result = try python(
            """
            import http.client
            c = http.client.HTTPConnection("127.0.0.1", \(live.port), timeout=5)
            ports = []
            for i in range(5):
                c.request("GET", "/echo/n%d" % i)
                r = c.getresponse(); body = r.read().decode()
                assert body == "n%d" % i, body
                ports.append(c.sock.getsockname()[1])
            print(len(set(ports)))
            """)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test func hundredPipelinedRequestsAreAnsweredInOrder() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        var batch = ""
        for index in 0..<100 {
            // Every tenth answers later from another thread; order must still hold.
            batch +=
                index % 10 == 0
                ? "GET /later/\(20 - index / 10) HTTP/1.1\r\nHost: x\r\n\r\n"
                : "GET /echo/r\(index) HTTP/1.1\r\nHost: x\r\n\r\n"
        }
        client.send(batch)
        let text = client.receive(timeout: 10, until: "r99").text
        let bodies = text.components(separatedBy: "HTTP/1.1 200 OK").dropFirst().map {
            $0.components(separatedBy: "\r\n\r\n").last ?? ""
        }
        #expect(bodies.count == 100)
        for (index, body) in bodies.enumerated() {
            #expect(body == (index % 10 == 0 ? "later \(20 - index / 10)" : "r\(index)"))
        }
    }

    /// Only a request's first answer counts, whichever copy of the responder gives it and
    /// from whichever thread: later answers and aborts are ignored, and later requests on
    /// the connection get their own answers.
    @Test func onlyTheFirstAnswerToARequestCounts() throws {
        let live = try LiveServer(routes: { router in
            router.add("GET", "/twice") { _, responder in
                let copy = responder
                responder.respond(HTTPResponse(status: 200, text: "first"))
                copy.respond(HTTPResponse(status: 500, text: "second"))
                copy.abort()
            }
            router.add("GET", "/twice-later") { _, responder in
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) {
                    let copy = responder
                    copy.respond(HTTPResponse(status: 200, text: "first later"))
                    responder.abort()
                    responder.respond(HTTPResponse(status: 500, text: "second later"))
                }
            }
        })
        let client = try RawClient(port: live.port)
        client.send(
            "GET /twice HTTP/1.1\r\nHost: x\r\n\r\nGET /twice-later HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /echo/after HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = client.receive(timeout: 10, until: "after").text
        let bodies = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map {
            ($0.prefix(3), $0.components(separatedBy: "\r\n\r\n").last ?? "")
        }
        #expect(bodies.map(\.0) == ["200", "200", "200"], "\(text)")
        #expect(bodies.map(\.1) == ["first", "first later", "after"], "\(text)")
    }

    @Test func chunkedUploadWithCurl() throws {
        let live = try LiveServer()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("body.txt", String(repeating: "chunked-data-", count: 1000))
        let result = try curl(["-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file)", "\(live.url)/upload"])
        #expect(result.stdout == "13000:chunked-data-chunked")
    }

    @Test func expectContinueGetsAnInterimResponse() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = client.receive(timeout: 2, until: "\r\n\r\n").text
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        client.send("hello")
        #expect(client.receive(until: "5:hello").text.hasSuffix("5:hello"))
        // And curl's own 100-continue dance.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("b", String(repeating: "x", count: 2000))
        let result = try curl(["-v", "-H", "Expect: 100-continue", "--data-binary", "@\(file)", "\(live.url)/upload"])
        #expect(result.stdout.hasPrefix("2000:"))
        #expect(result.stderr.contains("HTTP/1.1 100 Continue"))
    }

    @Test func limitsAreEnforcedLive() throws {
        let live = try LiveServer(configure: {
            $0.maxRequestLineBytes = 100
            $0.maxHeaderBytes = 200
            $0.maxHeaderFields = 5
            $0.maxBodyBytes = 50
        })
        func status(_ request: String) throws -> String {
            let client = try RawClient(port: live.port)
            client.send(request)
            let (text, closed) = client.receive(timeout: 3)
            #expect(closed || text.contains("Connection: close"), "connection must close after \(text.prefix(20))")
            return String(text.prefix(12))
        }
        #expect(try status("GET /\(String(repeating: "a", count: 200)) HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 414")
        #expect(
            try status("GET /ping HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "b", count: 300))\r\n\r\n")
                == "HTTP/1.1 431")
        #expect(
            try status("GET /ping HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n")
                == "HTTP/1.1 431")
        #expect(try status("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 51\r\n\r\n") == "HTTP/1.1 413")
        #expect(
            try status("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
                == "HTTP/1.1 400")
        #expect(try status("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br\r\n\r\n") == "HTTP/1.1 501")
        let ok = try curl(["-o", "/dev/null", "-w", "%{http_code}", "\(live.url)/ping"])
        #expect(ok.stdout == "200")
    }

    /// RFC 9112 §3.2.2: a request in absolute form is served like the origin form.
    @Test func absoluteFormIsServedLikeOriginForm() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        client.send("GET http://dpbridge.example/echo/absolute?x=1 HTTP/1.1\r\nHost: dpbridge.example\r\n\r\n")
        let text = client.receive(timeout: 3, until: "absolute").text
        #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\nabsolute"))
        // curl sends the absolute form to a proxy: the server is the proxy here.
        let proxied = try curl(["-x", live.url, "http://dpbridge.example/echo/proxied"])
        #expect(proxied.stdout == "proxied", "\(proxied.output)")
    }

    /// A client still uploading a body over the limit can send all of it and then reads
    /// the 413, instead of a reset while sending (which most clients report as the
    /// outcome): the server shuts down its side and discards the rest before closing.
    @Test func oversizedUploadReadsThe413NotAReset() throws {
        let live = try LiveServer()
        let body = [UInt8](repeating: 0x62, count: 3 << 20)  // 2 MiB over the 1 MiB limit
        for attempt in 0..<20 {
            let client = try RawClient(port: live.port)
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            var sent = 0
            while sent < body.count {
                let count = body.withUnsafeBytes {
                    send(client.fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
                }
                if count <= 0 { break }
                sent += count
            }
            #expect(
                sent == body.count,
                "attempt \(attempt): sending failed after \(sent) bytes: \(String(cString: strerror(errno)))")
            let (text, closed) = client.receive(timeout: 5, until: "\r\n\r\n")
            #expect(text.hasPrefix("HTTP/1.1 413"), "attempt \(attempt): \(text.isEmpty ? "reset, no answer" : text)")
            #expect(text.contains("Connection: close"))
            if !closed { #expect(client.receive(timeout: 3).closed, "attempt \(attempt): not closed") }
        }
        #expect(try curl(["\(live.url)/ping"]).stdout == "pong")
    }

    /// A client that shuts down its sending side after its request still gets the
    /// answer, even one that takes a while, with or without `Connection: close`.
    @Test func halfClosedClientGetsItsAnswer() throws {
        let live = try LiveServer()
        for close in ["", "Connection: close\r\n"] {
            let client = try RawClient(port: live.port)
            client.send("GET /later/200 HTTP/1.1\r\nHost: x\r\n\(close)\r\n")
            shutdown(client.fd, Int32(SHUT_WR))
            let (text, closed) = client.receive(timeout: 3)
            #expect(text.hasPrefix("HTTP/1.1 200") && text.hasSuffix("later 200"), "\(close.debugDescription): \(text)")
            #expect(closed)
        }
    }

    /// A client pipelining requests without reading the answers is read only as far as
    /// its answers drain, so the server holds a bounded number of answers (without the
    /// bound it answered all it could read, and kept the answers); once the client
    /// reads, the server goes on.
    @Test func pipelinedFloodIsReadOnlyAsFastAsAnswersDrain() throws {
        let handled = Atomic<Int>(0)
        let live = try LiveServer(
            configure: { $0.writeTimeout = .seconds(60) },
            routes: { router in
                router.add("GET", "/kib") { _, responder in
                    handled.add(1, ordering: .relaxed)
                    responder.respond(HTTPResponse(status: 200, text: String(repeating: "k", count: 1024)))
                }
            })
        let client = try RawClient(port: live.port)
        var small: Int32 = 64 * 1024
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, 4)
        setsockopt(client.fd, SOL_SOCKET, SO_SNDBUF, &small, 4)
        let request = Array("GET /kib HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let batch = [[UInt8]](repeating: request, count: 1024).flatMap { $0 }
        var sent = 0
        var offset = 0  // in `batch`: the stream stays whole requests
        while sent < 8 << 20 {  // 270,000 requests
            var poller = pollfd(fd: client.fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, 1000) > 0 else { break }  // blocked for 1 s: the server stopped reading
            let count = batch.withUnsafeBytes {
                send(client.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if count <= 0 { break }
            sent += count
            offset = (offset + count) % batch.count
        }
        // Answers held: the socket buffers' (a few MB) and the bound's (64 KiB), of 1.1 KiB each.
        let handledWhileBlocked = handled.load(ordering: .relaxed)
        #expect(sent < 8 << 20, "the client never had to wait")
        #expect(handledWhileBlocked < 20_000, "\(handledWhileBlocked) answers made for a client that reads none")
        // Reading, the client gets the answer to every request it sent (all of one length).
        let requests = sent / request.count
        var received = 0
        var expected = Int.max
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var head: [UInt8] = []
        while received < expected {
            var poller = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 5000) > 0 else { break }
            let count = recv(client.fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            if expected == Int.max {
                head += buffer[0..<count]
                if let end = String(decoding: head, as: UTF8.self).range(of: "\r\n\r\n") {
                    expected = (String(decoding: head, as: UTF8.self)[..<end.upperBound].utf8.count + 1024) * requests
                }
            }
            received += count
        }
        #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        #expect(received == expected, "\(received) bytes of answers to \(requests) requests")
        #expect(handled.load(ordering: .relaxed) == requests)
    }

    /// At most `maxPipelinedRequests` of a connection's requests are with handlers at once;
    /// the rest wait and are all answered, in order.
    @Test func handlersSeeAtMostTheBoundOfPipelinedRequests() throws {
        let active = Mutex((now: 0, most: 0))
        let live = try LiveServer(
            configure: { $0.maxPipelinedRequests = 3 },
            routes: { router in
                router.add("GET", "/slow/:n") { request, responder in
                    active.withLock {
                        $0.now += 1
                        $0.most = max($0.most, $0.now)
                    }
                    DispatchQueue.global().asyncAfter(deadline: .now() + 0.01) {
                        active.withLock { $0.now -= 1 }
                        responder.respond(HTTPResponse(status: 200, text: "s\(request.pathParameters["n"]!)."))
                    }
                }
            })
        let client = try RawClient(port: live.port)
        client.send((0..<20).map { "GET /slow/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        let text = client.receive(timeout: 10, until: "s19.").text
        let bodies = text.components(separatedBy: "HTTP/1.1 200 OK").dropFirst().map {
            $0.components(separatedBy: "\r\n\r\n").last ?? ""
        }
        #expect(bodies == (0..<20).map { "s\($0)." }, "\(text)")
        #expect(active.withLock { $0.most } <= 3)
    }

    /// Chunk framing counts against the body limit: a flood of 1-byte chunks with 4,000
    /// bytes of extensions each is answered 413 once it passes the limit.
    @Test func chunkExtensionFloodIsAnswered413() throws {
        let live = try LiveServer(configure: { $0.maxBodyBytes = 64 * 1024 })
        let client = try RawClient(port: live.port)
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("1;\(String(repeating: "e", count: 4000))\r\nx\r\n".utf8)
        var sent = 0
        for _ in 0..<1000 {  // 4 MiB at most
            var poller = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 { break }  // answered
            let count = chunk.withUnsafeBytes { send(client.fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }
            sent += count
        }
        let text = client.receive(timeout: 3, until: "\r\n\r\n").text
        #expect(text.hasPrefix("HTTP/1.1 413"), "after \(sent) bytes: \(text)")
    }

    /// The header section must arrive within `headerTimeout` of its first byte, however
    /// steadily it trickles.
    @Test func headerDeadlineIsAbsolute() throws {
        let live = try LiveServer(configure: { $0.headerTimeout = .milliseconds(500) })
        let client = try RawClient(port: live.port)
        let head = Array("GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "s", count: 60))\r\n\r\n".utf8)
        var answer = ""
        for byte in head {  // one byte every 100 ms: about 9 s for the whole head
            client.send([byte])
            answer = client.receive(timeout: 0.1).text
            if !answer.isEmpty { break }
        }
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
    }

    /// A body must arrive within `bodyDeadline` of its head, however steadily it trickles
    /// (each pause is shorter than `bodyTimeout`).
    @Test func bodyDeadlineIsAbsolute() throws {
        let live = try LiveServer(configure: { $0.bodyDeadline = .milliseconds(500) })
        let client = try RawClient(port: live.port)
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 80\r\n\r\n")
        var answer = ""
        for _ in 0..<80 {  // one byte every 100 ms: 8 s for the whole body
            client.send("b")
            answer = client.receive(timeout: 0.1).text
            if !answer.isEmpty { break }
        }
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
    }

    @Test func headerTimeoutAnswers408AndCloses() throws {
        let live = try LiveServer(configure: { $0.headerTimeout = .milliseconds(300) })
        let client = try RawClient(port: live.port)
        client.send("GET /ping HTTP/1.1\r\nHo")
        let (text, closed) = client.receive(timeout: 3)
        #expect(text.hasPrefix("HTTP/1.1 408"))
        #expect(closed)
    }

    @Test func bodyIdleTimeoutAnswers408() throws {
        let live = try LiveServer(configure: { $0.bodyTimeout = .milliseconds(300) })
        let client = try RawClient(port: live.port)
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        let (text, closed) = client.receive(timeout: 3)
        #expect(text.hasPrefix("HTTP/1.1 408"))
        #expect(closed)
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let live = try LiveServer(configure: { $0.keepAliveTimeout = .milliseconds(300) })
        let client = try RawClient(port: live.port)
        client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.receive(timeout: 2, until: "pong").text.hasSuffix("pong"))
        let (rest, closed) = client.receive(timeout: 3)
        #expect(rest.isEmpty)
        #expect(closed)
    }

    @Test func stalledReaderIsDisconnected() throws {
        let live = try LiveServer(configure: { $0.writeTimeout = .milliseconds(300) })
        let client = try RawClient(port: live.port)
        var small: Int32 = 4096
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, 4)
        client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        var waited = 0
        while live.server.connectionCount > 0 && waited < 50 {
            usleep(100_000)
            waited += 1
        }
        #expect(live.server.connectionCount == 0, "the server kept a connection whose client reads nothing")
    }

    @Test func connectionCapHolds() throws {
        let live = try LiveServer(configure: { $0.maxConnections = 5 })
        var clients: [RawClient] = []
        for _ in 0..<5 {
            let client = try RawClient(port: live.port)
            client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.receive(until: "pong").text.hasSuffix("pong"))
            clients.append(client)
        }
        #expect(live.server.connectionCount == 5)
        for _ in 0..<3 {
            let extra = try RawClient(port: live.port)
            let (text, closed) = extra.receive(timeout: 3)
            #expect(text.hasPrefix("HTTP/1.1 503"))
            #expect(closed)
        }
        #expect(live.server.connectionCount == 5)
        clients.removeAll()
        var waited = 0
        while live.server.connectionCount > 0 && waited < 30 {
            usleep(50_000)
            waited += 1
        }
        #expect(try curl(["\(live.url)/ping"]).stdout == "pong")
    }

    @Test func ipv6Loopback() throws {
        var router = Router()
        router.add("GET", "/") { _, responder in responder.respond(HTTPResponse(status: 200, text: "v6")) }
        let server = HTTPServer(router: router)
        let port = try server.bind(host: "::1", port: 0)
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(100)) }
        #expect(try curl(["http://[::1]:\(port)/"]).stdout == "v6")
    }

    @Test func gracefulDrainFinishesInFlightRequests() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        client.send("GET /later/400 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(100_000)
        let idle = try RawClient(port: live.port)
        usleep(50_000)
        live.server.shutdown(deadline: .seconds(3))
        let (text, closed) = client.receive(timeout: 2)
        #expect(text.contains("Connection: close"), "\(text)")
        #expect(text.hasSuffix("later 400"))
        #expect(closed)
        #expect(idle.receive(timeout: 1).closed)
        #expect((try? RawClient(port: live.port)) == nil, "no longer accepting")
    }

    @Test func gracefulDrainFinishesARequestStillArriving() throws {
        let live = try LiveServer()
        let client = try RawClient(port: live.port)
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234")
        usleep(100_000)
        let server = live.server
        let shutdown = Thread { server.shutdown(deadline: .seconds(3)) }
        shutdown.start()
        usleep(300_000)
        client.send("56789")
        let (text, closed) = client.receive(timeout: 2)
        #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
        #expect(text.contains("Connection: close"))
        #expect(text.hasSuffix("10:0123456789"))
        #expect(closed)
    }

    @Test func adoptedListeningSocketIsServed() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var router = Router()
        router.add("GET", "/") { _, responder in responder.respond(HTTPResponse(status: 200, text: "adopted")) }
        let server = HTTPServer(router: router)
        try server.adopt(listeningDescriptor: fd)
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(100)) }
        let result = try curl(["http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/"])
        #expect(result.stdout == "adopted", "\(result.output)")
    }
}
