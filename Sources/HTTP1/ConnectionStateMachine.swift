/// The protocol side of one client connection, as a value: it takes events (bytes read,
/// end of input, the socket writable, a write's outcome, a handler's answer, a timer tick,
/// drain) with the time, and `nextAction` says what the event loop must do next. It never
/// touches a socket, so parsing progress, pipelining order, keep-alive, timeouts, drain,
/// the early close with lingering, write readiness and the memory bounds are all tested
/// without one (swift-nio's state machines are the model).
///
/// The loop feeds an event, then performs `nextAction` until it answers `.wait`.
struct ConnectionStateMachine {
    /// Limits and timeouts, in milliseconds and bytes.
    struct Settings: Sendable {
        var parserLimits: RequestParser.Limits
        var headerTimeout: Int64
        var bodyTimeout: Int64
        var bodyDeadline: Int64
        var keepAliveTimeout: Int64
        var writeTimeout: Int64
        var lingerTimeout: Int64
        var lingerMaxBytes: Int
        var maxPipelinedRequests: Int
        var maxUnsentResponseBytes: Int
        var serverName: String?

        init(_ configuration: ServerConfiguration) {
            parserLimits = configuration.parserLimits
            headerTimeout = configuration.headerTimeout.wholeMilliseconds
            bodyTimeout = configuration.bodyTimeout.wholeMilliseconds
            bodyDeadline = configuration.bodyDeadline.wholeMilliseconds
            keepAliveTimeout = configuration.keepAliveTimeout.wholeMilliseconds
            writeTimeout = configuration.writeTimeout.wholeMilliseconds
            lingerTimeout = configuration.lingerTimeout.wholeMilliseconds
            lingerMaxBytes = configuration.lingerMaxBytes
            maxPipelinedRequests = max(1, configuration.maxPipelinedRequests)
            maxUnsentResponseBytes = configuration.maxUnsentResponseBytes
            serverName = configuration.serverName
        }
    }

    /// What the event loop must do next.
    enum Action {
        /// Hand the request, number `sequence` on this connection, to its handler; the
        /// answer comes back through `responseReady(_:sequence:)`.
        case deliver(HTTPRequest, sequence: Int)
        /// Send `withUnsentOutput`'s bytes, then report `wrote(_:now:)` or `writeWouldBlock()`.
        case write
        /// Register this interest in the socket's readiness (reading stops while the
        /// connection's answers wait unsent, and after the client's EOF).
        case setInterest(read: Bool, write: Bool)
        /// Shut down the sending side: the answers are out and the close is graceful.
        case shutdownWrite
        /// Call `tick(now:)` once the time passes `at` (ms), replacing the timer armed before.
        case armTimer(at: Int64)
        /// Close the socket; the machine is done.
        case close
        /// Nothing to do until the next event.
        case wait
    }

    private struct Slot {
        var keepAlive: Bool
        var isHead: Bool
        var version: (major: Int, minor: Int)
        var response: HTTPResponse?
        /// Set by the first answer (or abort), so later ones are ignored.
        var answered = false
    }

    let settings: Settings
    private var parser: RequestParser

    /// Sequence number of the next request delivered, and of the next response written
    /// (responses go out in request order).
    private var nextSequence = 0
    private var nextToWrite = 0
    /// One slot per request delivered and not yet written, oldest first (index 0 is
    /// sequence `nextToWrite`); filled when its answer arrives.
    private var slots: [Slot] = []
    /// Bytes of answers waiting in `slots` for an earlier one.
    private var queuedBytes = 0
    /// Bytes to send, and how many were sent.
    private var output: [UInt8] = []
    private var outputOffset = 0

    /// The parser said `.needMore` and no byte came since: asking it again is useless.
    private var awaitingInput = false
    /// No more requests are read: what arrives is discarded.
    private var readingStopped = false
    /// The client closed its side (EOF): nothing more will arrive.
    private var peerClosed = false
    /// Close once the response with this sequence is written.
    private var closeAfter: Int?
    /// The socket must be closed now (a failure, an abort, a bound, a timeout).
    private var mustClose = false
    private var closed = false
    private var draining = false
    /// The last send would have blocked: wait for the socket to become writable.
    private var writeBlocked = false
    /// When our side was shut down for a graceful close.
    private var lingeringSince: Int64?
    /// Bytes read and thrown away since reading stopped.
    private var discardedBytes = 0
    /// The interest registered with epoll (at accept: reading).
    private var interest = (read: true, write: false)
    private var armedTimer: Int64?

    /// When the request being received began, when its body began, when the connection
    /// last read bytes, last made write progress, and became idle (all ms).
    private var requestStartedAt: Int64
    private var bodyStartedAt: Int64?
    private var lastReadAt: Int64
    private var lastWriteProgressAt: Int64
    private var idleSince: Int64

    init(settings: Settings, now: Int64) {
        self.settings = settings
        parser = RequestParser(limits: settings.parserLimits)
        requestStartedAt = now
        lastReadAt = now
        lastWriteProgressAt = now
        idleSince = now
    }

    // MARK: - State

    /// Requests delivered whose responses are not yet written.
    var inFlight: Int { nextSequence - nextToWrite }
    var hasOutput: Bool { outputOffset < output.count }
    /// Answers not yet sent: unwritten bytes and answers waiting for an earlier one.
    var unsentBytes: Int { output.count - outputOffset + queuedBytes }
    /// Nothing asked, nothing to send, nothing arriving.
    var isIdle: Bool { inFlight == 0 && !hasOutput && !parser.hasPartialRequest }

    /// Too much is waiting to go out: deliver no more requests and read nothing until it drains.
    private var isBackedUp: Bool {
        inFlight >= settings.maxPipelinedRequests || unsentBytes >= settings.maxUnsentResponseBytes
    }

    private var mayDeliver: Bool {
        !readingStopped && !mustClose && (closeAfter.map { nextSequence <= $0 } ?? true) && !isBackedUp
    }

    // MARK: - Events

    /// Bytes read from the socket.
    mutating func bytesRead(_ bytes: UnsafeRawBufferPointer, now: Int64) {
        guard !readingStopped else {
            discardedBytes += bytes.count
            if discardedBytes > settings.lingerMaxBytes { mustClose = true }
            return
        }
        if !parser.hasPartialRequest { requestStartedAt = now }
        lastReadAt = now
        parser.append(bytes)
        awaitingInput = false
    }

    /// The client closed its sending side.
    mutating func endOfInput() {
        peerClosed = true
        awaitingInput = false  // the parser's `.needMore` now means the end
        if lingeringSince != nil { mustClose = true }
    }

    /// The socket can take more bytes.
    mutating func writable() {
        writeBlocked = false
    }

    /// `count` bytes of `withUnsentOutput`'s were sent.
    mutating func wrote(_ count: Int, now: Int64) {
        outputOffset += count
        lastWriteProgressAt = now
        guard outputOffset == output.count else { return }
        output.removeAll(keepingCapacity: output.capacity <= 16 * 1024)
        outputOffset = 0
        if inFlight == 0 { becameQuiet(now: now) }
    }

    /// The socket took nothing: it is full.
    mutating func writeWouldBlock() {
        writeBlocked = true
    }

    /// Reading or writing failed (the client reset the connection, say): close at once.
    mutating func socketFailed() {
        mustClose = true
    }

    /// A handler's answer to request `sequence` (nil: close without answering, as a
    /// crashed server would). The first one counts; later ones are ignored.
    mutating func responseReady(_ response: HTTPResponse?, sequence: Int) {
        let index = sequence - nextToWrite
        guard index >= 0 && index < slots.count, !slots[index].answered else { return }
        slots[index].answered = true
        guard let response else {
            mustClose = true
            return
        }
        queuedBytes += response.body.count + response.headerLines.count
        slots[index].response = response
    }

    /// Stop taking requests: answer those asked (and one still arriving), then close.
    mutating func drainRequested() {
        draining = true
        if isIdle && lingeringSince == nil {
            mustClose = true
            return
        }
        let last = parser.hasPartialRequest && !readingStopped ? nextSequence : nextSequence - 1
        closeAfter = min(closeAfter ?? Int.max, last)
    }

    /// The timer armed with `.armTimer` is due: enforce the timeouts.
    mutating func tick(now: Int64) {
        armedTimer = nil
        guard let deadline = deadline(now: now), now > deadline else { return }
        if lingeringSince != nil || hasOutput {
            mustClose = true  // lingering over, or a client that takes no bytes
        } else if parser.isReadingBody {
            refuse(HTTPResponse(status: 408, text: "body not received in time\n"))
        } else if parser.hasPartialRequest {
            refuse(HTTPResponse(status: 408, text: "header section not received in time\n"))
        } else {
            mustClose = true  // idle
        }
    }

    /// When `tick` must next run: the deadline of the phase the connection is in.
    private func deadline(now: Int64) -> Int64? {
        if mustClose || closed { return nil }
        if let since = lingeringSince { return since + settings.lingerTimeout }
        if hasOutput { return lastWriteProgressAt + settings.writeTimeout }
        if inFlight > 0 || readingStopped { return nil }  // a handler works; it has its own deadline
        if parser.isReadingBody {
            return min(lastReadAt + settings.bodyTimeout, (bodyStartedAt ?? now) + settings.bodyDeadline)
        }
        if parser.hasPartialRequest { return requestStartedAt + settings.headerTimeout }
        return idleSince + settings.keepAliveTimeout
    }

    /// The bytes to send now, for the `.write` action. (`mutating` though it changes
    /// nothing: called on the connection's stored machine, a non-mutating method would
    /// copy the whole machine first, a retain per field, on every write.)
    mutating func withUnsentOutput<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        output.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[outputOffset...])) }
    }

    // MARK: - Actions

    /// What to do next; `date` is the current IMF-fixdate for responses. Call it until it answers `.wait`.
    mutating func nextAction(now: Int64, date: [UInt8]) -> Action {
        if closed { return .wait }
        if mustClose {
            closed = true
            return .close
        }
        parsing: while true {
            writeReadyResponses(date: date, now: now)
            guard mayDeliver && !awaitingInput else { break }
            switch parser.next() {
            case .request(let request):
                return deliver(request, now: now)
            case .continueNeeded:
                // Invite the body, unless answers are still pending (the client sends it anyway).
                if inFlight == 0 && !hasOutput {
                    output.append(contentsOf: ResponseWriter.continueResponse)
                    lastWriteProgressAt = now
                }
            case .error(let error):
                refuse(HTTPResponse(status: error.status, text: error.reason + "\n"))
            case .needMore:
                awaitingInput = true
                if parser.isReadingBody && bodyStartedAt == nil {
                    bodyStartedAt = now
                }
                guard peerClosed else { break parsing }
                // Nothing more will come: answer what was asked, then close.
                readingStopped = true
                closeAfter = min(closeAfter ?? Int.max, nextSequence - 1)
            }
        }
        if hasOutput && !writeBlocked { return .write }
        if !hasOutput, let last = closeAfter, nextToWrite > last {
            // Every answer is out.
            if peerClosed {
                closed = true
                return .close
            }
            if lingeringSince == nil {
                readingStopped = true
                lingeringSince = now
                return .shutdownWrite
            }
        }
        let wanted = (read: !peerClosed && (readingStopped || !isBackedUp), write: hasOutput && writeBlocked)
        if wanted != interest {
            interest = wanted
            return .setInterest(read: wanted.read, write: wanted.write)
        }
        // A timer armed for later than needed is re-armed; one armed too early just
        // ticks for nothing and is re-armed then (so a busy connection rarely re-arms).
        if let timer = deadline(now: now), armedTimer.map({ timer < $0 }) ?? true {
            armedTimer = timer
            return .armTimer(at: timer)
        }
        return .wait
    }

    /// (`consuming`, and the request moved into the action: a copy here is a retain and a
    /// release of each of its strings and arrays, on every request.)
    private mutating func deliver(_ request: consuming HTTPRequest, now: Int64) -> Action {
        let sequence = nextSequence
        nextSequence += 1
        let keepAlive = request.keepAlive && !draining
        slots.append(Slot(keepAlive: keepAlive, isHead: request.method == "HEAD", version: request.version))
        if !keepAlive {
            readingStopped = true
            closeAfter = min(closeAfter ?? Int.max, sequence)
        }
        bodyStartedAt = nil
        if parser.hasPartialRequest { requestStartedAt = now }
        return .deliver(consume request, sequence: sequence)
    }

    /// Answers the client with `response` and closes: a request it cannot complete.
    private mutating func refuse(_ response: HTTPResponse) {
        readingStopped = true
        let sequence = nextSequence
        nextSequence += 1
        closeAfter = min(closeAfter ?? Int.max, sequence)
        slots.append(Slot(keepAlive: false, isHead: false, version: (1, 1)))
        responseReady(response, sequence: sequence)
    }

    /// Moves the answers that are next in order from their slots to the output.
    private mutating func writeReadyResponses(date: [UInt8], now: Int64) {
        // Not `slots.first`: a copied slot is a retain and a release of each of its
        // response's arrays.
        guard !slots.isEmpty, slots[0].response != nil else { return }
        if !hasOutput { lastWriteProgressAt = now }
        var written = 0
        while written < slots.count, let response = slots[written].response.take() {
            queuedBytes -= response.body.count + response.headerLines.count
            ResponseWriter.write(
                response, keepAlive: slots[written].keepAlive && closeAfter != nextToWrite,
                isHead: slots[written].isHead, version: slots[written].version, date: date,
                serverName: settings.serverName, into: &output)
            nextToWrite += 1
            written += 1
        }
        if written == slots.count {
            // From the end, one by one: `removeAll(keepingCapacity:)` is a generic range
            // replacement costing more than these few, on every request.
            while !slots.isEmpty { slots.removeLast() }
        } else {
            slots.removeFirst(written)
        }
    }

    /// Nothing is asked or unsent any more: the clocks of what the client does next start now.
    private mutating func becameQuiet(now: Int64) {
        if parser.hasPartialRequest {
            requestStartedAt = now
            if parser.isReadingBody {
                bodyStartedAt = now
                lastReadAt = now
            }
        } else {
            idleSince = now
        }
    }
}
