import Testing

@testable import HTTP1

/// Drives a `ConnectionStateMachine` as the event loop does, over a pretend socket: no
/// descriptor, no thread, time moved by hand.
struct MachineDriver {
    var machine: ConnectionStateMachine
    var now: Int64 = 1_000
    let date = Array("Thu, 01 Jan 2026 00:00:00 GMT".utf8)
    /// What the client has received.
    var wire: [UInt8] = []
    var delivered: [(request: HTTPRequest, sequence: Int)] = []
    /// Answers each request at once, as a handler on the loop's thread does; nil: the test answers.
    var handler: ((HTTPRequest) -> HTTPResponse)?
    var interest = (read: true, write: false)
    var timer: Int64?
    var shutDown = false
    var closed = false
    /// Bytes the pretend socket takes per write; nil: all, 0: none (it would block).
    var socketTakes: Int?
    var writes = 0

    init(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        handler: ((HTTPRequest) -> HTTPResponse)? = { HTTPResponse(status: 200, text: "re:\($0.target)") }
    ) {
        var configuration = ServerConfiguration()
        configure(&configuration)
        machine = ConnectionStateMachine(settings: .init(configuration), now: now)
        self.handler = handler
        run()
    }

    /// Performs the machine's actions until it waits.
    mutating func run() {
        for _ in 0..<1_000_000 {
            switch machine.nextAction(now: now, date: date) {
            case .deliver(let request, let sequence):
                delivered.append((request, sequence))
                if let handler { machine.responseReady(handler(request), sequence: sequence) }
            case .write:
                writes += 1
                let limit = socketTakes
                let taken = machine.withUnsentOutput { bytes -> [UInt8] in Array(bytes.prefix(limit ?? bytes.count)) }
                wire += taken
                if taken.isEmpty { machine.writeWouldBlock() } else { machine.wrote(taken.count, now: now) }
            case .setInterest(let read, let write):
                interest = (read, write)
            case .shutdownWrite:
                shutDown = true
            case .armTimer(let at):
                timer = at
            case .close:
                closed = true
                return
            case .wait:
                return
            }
        }
        Issue.record("the machine never waited")
    }

    mutating func receive(_ text: String) { receive(Array(text.utf8)) }

    mutating func receive(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { machine.bytesRead($0, now: now) }
        run()
    }

    mutating func endOfInput() {
        machine.endOfInput()
        run()
    }

    mutating func answer(_ sequence: Int, _ text: String) {
        machine.responseReady(HTTPResponse(status: 200, text: text), sequence: sequence)
        run()
    }

    /// The socket can take bytes again.
    mutating func drainSocket() {
        socketTakes = nil
        machine.writable()
        run()
    }

    /// Lets `milliseconds` pass in the loop's 100 ms sweeps, ticking when the timer is due.
    mutating func wait(_ milliseconds: Int64) {
        let end = now + milliseconds
        while now < end && !closed {
            now = min(end, now + 100)
            if let at = timer, now > at {
                timer = nil
                machine.tick(now: now)
                run()
            }
        }
    }

    /// What the client received since the last call.
    mutating func takeWire() -> String {
        defer { wire.removeAll() }
        return String(decoding: wire, as: UTF8.self)
    }

    var targets: [String] { delivered.map(\.request.target) }
}

/// Bodies of the responses in `text`, in order.
func bodies(_ text: String) -> [String] {
    text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.components(separatedBy: "\r\n\r\n").last ?? "" }
}

func get(_ path: String, _ extra: String = "") -> String { "GET \(path) HTTP/1.1\r\nHost: x\r\n\(extra)\r\n" }

@Suite struct ConnectionStateMachineTests {
    // MARK: Pipelining and keep-alive

    @Test func pipelinedAnswersGoOutInRequestOrder() {
        var driver = MachineDriver(handler: nil)
        driver.receive(get("/a") + get("/b") + get("/c"))
        #expect(driver.targets == ["/a", "/b", "/c"])
        driver.answer(2, "c")
        #expect(driver.wire.isEmpty, "an answer waits for those before it")
        driver.answer(0, "a")
        #expect(bodies(driver.takeWire()) == ["a"])
        driver.answer(1, "b")
        driver.answer(1, "b again")  // ignored: the first answer counts
        #expect(bodies(driver.takeWire()) == ["b", "c"])
        #expect(!driver.closed && driver.interest.read)
    }

    @Test func answersToABatchGoOutInOneWrite() {
        var driver = MachineDriver()
        driver.receive((0..<10).map { get("/\($0)") }.joined())
        #expect(driver.delivered.count == 10)
        #expect(driver.writes == 1)
        #expect(bodies(driver.takeWire()) == (0..<10).map { "re:/\($0)" })
    }

    /// Input fed a byte at a time gives the same requests and answers as fed at once.
    @Test func inputFedByteByByte() {
        let input =
            get("/one") + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
            + "HEAD /four HTTP/1.1\r\nHost: x\r\n\r\n" + get("/five", "Connection: close\r\n")
        var whole = MachineDriver()
        whole.receive(input)
        var split = MachineDriver()
        for byte in input.utf8 { split.receive([byte]) }
        #expect(split.targets == ["/one", "/two", "/three", "/four", "/five"])
        #expect(split.targets == whole.targets)
        #expect(split.delivered.map(\.request.body) == whole.delivered.map(\.request.body))
        #expect(String(decoding: split.delivered[2].request.body, as: UTF8.self) == "abc")
        #expect(split.takeWire() == whole.takeWire())
        #expect(split.shutDown && whole.shutDown)
    }

    @Test func connectionCloseAnswersThenClosesGracefully() {
        var driver = MachineDriver()
        driver.receive(get("/last", "Connection: close\r\n") + get("/ignored"))
        #expect(driver.targets == ["/last"])
        let text = driver.takeWire()
        #expect(text.contains("Connection: close\r\n") && bodies(text) == ["re:/last"])
        // Our side is shut down; what the client still sends is discarded until its EOF.
        #expect(driver.shutDown && !driver.closed && driver.interest.read)
        driver.receive(get("/more"))
        #expect(driver.targets == ["/last"] && driver.wire.isEmpty)
        driver.endOfInput()
        #expect(driver.closed)
    }

    @Test func http10ClosesUnlessKeepAlive() {
        var plain = MachineDriver()
        plain.receive("GET /a HTTP/1.0\r\n\r\n")
        #expect(plain.takeWire().hasPrefix("HTTP/1.0 200 OK") && plain.shutDown)
        var kept = MachineDriver()
        kept.receive("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(kept.takeWire().contains("Connection: keep-alive") && !kept.shutDown)
    }

    @Test func endOfInputAfterPipelinedRequestsAnswersThemAll() {
        var driver = MachineDriver(handler: nil)
        driver.receive(get("/a") + get("/b") + "GET /partial HT")
        driver.endOfInput()
        #expect(driver.targets == ["/a", "/b"])
        #expect(!driver.interest.read, "no more reading after EOF")
        driver.answer(1, "b")
        driver.answer(0, "a")
        #expect(bodies(driver.takeWire()) == ["a", "b"])
        #expect(driver.closed && !driver.shutDown, "the client closed first: closed at once")
    }

    @Test func expectContinueInvitesTheBody() {
        var driver = MachineDriver()
        driver.receive("POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(driver.takeWire() == "HTTP/1.1 100 Continue\r\n\r\n")
        driver.receive("ok")
        #expect(bodies(driver.takeWire()) == ["re:/up"])
    }

    @Test func abortAndSocketFailureCloseAtOnce() {
        var aborted = MachineDriver(handler: nil)
        aborted.receive(get("/a") + get("/b"))
        aborted.answer(1, "b")
        aborted.machine.responseReady(nil, sequence: 0)
        aborted.run()
        #expect(aborted.closed && aborted.wire.isEmpty)
        var failed = MachineDriver()
        failed.machine.socketFailed()
        failed.run()
        #expect(failed.closed)
    }

    // MARK: Timeouts

    @Test func idleKeepAliveConnectionIsClosedWithoutAnswer() {
        var driver = MachineDriver { $0.keepAliveTimeout = .seconds(1) }
        driver.receive(get("/a"))
        _ = driver.takeWire()
        driver.wait(900)
        #expect(!driver.closed)
        driver.wait(300)
        #expect(driver.closed && driver.wire.isEmpty && !driver.shutDown)
    }

    @Test func headerDeadlineIsAbsolute() {
        var driver = MachineDriver { $0.headerTimeout = .milliseconds(500) }
        for byte in get("/slow", "X-Pad: \(String(repeating: "p", count: 40))\r\n").utf8 {
            driver.receive([byte])  // a byte every 100 ms: the head would take 7 s
            driver.wait(100)
            if !driver.wire.isEmpty { break }
        }
        #expect(driver.takeWire().hasPrefix("HTTP/1.1 408"))
        #expect(driver.delivered.isEmpty && driver.shutDown)
        #expect(driver.now - 1_000 <= 700)
    }

    @Test func bodyPauseAndBodyDeadline() {
        var paused = MachineDriver { $0.bodyTimeout = .milliseconds(300) }
        paused.receive("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc")
        paused.wait(500)
        #expect(paused.takeWire().hasPrefix("HTTP/1.1 408"))
        // Trickling a byte every 200 ms never pauses long, but the whole body is late.
        var trickling = MachineDriver { $0.bodyDeadline = .seconds(1) }
        trickling.receive("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        for _ in 0..<100 where trickling.wire.isEmpty {
            trickling.wait(200)
            trickling.receive("b")
        }
        #expect(trickling.takeWire().hasPrefix("HTTP/1.1 408"))
        #expect(trickling.now - 1_000 <= 1_400)
        #expect(trickling.delivered.isEmpty)
    }

    @Test func clientTakingNoBytesIsDisconnected() {
        var driver = MachineDriver { $0.writeTimeout = .milliseconds(500) }
        driver.socketTakes = 0
        driver.receive(get("/a"))
        #expect(driver.interest.write, "waits for the socket to become writable")
        driver.wait(400)
        #expect(!driver.closed)
        driver.wait(200)
        #expect(driver.closed)
    }

    /// A handler at work stops the request clocks; the next request's begin when it answers.
    @Test func aWorkingHandlerIsNotTimedOut() {
        var driver = MachineDriver({ $0.headerTimeout = .milliseconds(300) }, handler: nil)
        driver.receive(get("/slow") + "GET /next HT")
        driver.wait(1_000)
        #expect(!driver.closed && driver.wire.isEmpty)
        driver.answer(0, "done")
        #expect(bodies(driver.takeWire()) == ["done"])
        driver.wait(500)
        #expect(driver.takeWire().hasPrefix("HTTP/1.1 408"))
    }

    // MARK: Early close and lingering

    @Test func earlyAnswerStopsInputAndLingers() {
        var driver = MachineDriver { $0.lingerMaxBytes = 10_000 }
        driver.receive("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n" + get("/after"))
        let text = driver.takeWire()
        #expect(text.hasPrefix("HTTP/1.1 413") && text.contains("Connection: close"))
        #expect(driver.delivered.isEmpty)
        #expect(driver.shutDown && !driver.closed && driver.interest.read)
        driver.receive([UInt8](repeating: 0x62, count: 6_000))  // the body keeps coming: discarded
        #expect(!driver.closed && driver.wire.isEmpty)
        driver.receive([UInt8](repeating: 0x62, count: 6_000))
        #expect(driver.closed, "discarding stops at lingerMaxBytes")
    }

    @Test func lingeringEndsAtItsTimeout() {
        var driver = MachineDriver { $0.lingerTimeout = .seconds(2) }
        driver.receive("BAD\r\n\r\n")
        #expect(driver.takeWire().hasPrefix("HTTP/1.1 400") && driver.shutDown)
        driver.wait(1_900)
        #expect(!driver.closed)
        driver.wait(300)
        #expect(driver.closed)
    }

    // MARK: Drain

    @Test func drainClosesIdleConnectionsAtOnce() {
        var driver = MachineDriver()
        driver.receive(get("/a"))
        driver.machine.drainRequested()
        driver.run()
        #expect(driver.closed)
    }

    @Test func drainFinishesWhatWasAskedAndWhatIsArriving() {
        var inFlight = MachineDriver(handler: nil)
        inFlight.receive(get("/a"))
        inFlight.machine.drainRequested()
        inFlight.run()
        #expect(!inFlight.closed)
        inFlight.answer(0, "a")
        #expect(inFlight.takeWire().contains("Connection: close") && inFlight.shutDown)

        var arriving = MachineDriver()
        arriving.receive("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
        arriving.machine.drainRequested()
        arriving.run()
        arriving.receive("cd" + get("/not-asked"))
        #expect(arriving.targets == ["/p"])
        let text = arriving.takeWire()
        #expect(text.contains("Connection: close") && bodies(text) == ["re:/p"])
        #expect(arriving.shutDown)
    }

    // MARK: Bounds

    @Test func unsentAnswersStopReadingUntilTheyDrain() {
        var driver = MachineDriver { $0.maxUnsentResponseBytes = 1024 }
        driver.socketTakes = 0
        driver.receive((0..<100).map { get("/\($0)") }.joined())
        let first = driver.delivered.count
        #expect(first > 0 && first < 20, "\(first) delivered while nothing could be sent")
        #expect(!driver.interest.read && driver.interest.write)
        #expect(driver.machine.unsentBytes < 1024 + 200)
        driver.drainSocket()
        #expect(driver.delivered.count == 100)
        #expect(driver.interest.read && !driver.interest.write)
        #expect(bodies(driver.takeWire()) == (0..<100).map { "re:/\($0)" })
    }

    @Test func handlersHoldAtMostTheBoundOfRequests() {
        var driver = MachineDriver({ $0.maxPipelinedRequests = 2 }, handler: nil)
        driver.receive((0..<5).map { get("/\($0)") }.joined())
        #expect(driver.targets == ["/0", "/1"])
        #expect(!driver.interest.read)
        driver.answer(0, "0")
        #expect(driver.targets == ["/0", "/1", "/2"])
        for sequence in 1..<5 { driver.answer(sequence, "\(sequence)") }
        #expect(driver.targets.count == 5 && driver.interest.read)
        #expect(bodies(driver.takeWire()) == ["0", "1", "2", "3", "4"])
    }

    @Test func chunkFramingFloodIsRefused() {
        var driver = MachineDriver { $0.maxBodyBytes = 64 * 1024 }
        driver.receive("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("1;\(String(repeating: "e", count: 4000))\r\nx\r\n".utf8)
        for _ in 0..<100 where driver.wire.isEmpty { driver.receive(chunk) }
        #expect(driver.takeWire().hasPrefix("HTTP/1.1 413"))
        #expect(driver.delivered.isEmpty && driver.shutDown)
    }
}
