import CLinux
import Glibc
import Synchronization

/// One epoll event loop on its own thread: accepts connections, reads and parses
/// requests, calls handlers, writes responses in order, and enforces limits and
/// timeouts. Only `deliver` and `requestDrain` may be called from other threads.
final class EventLoop: @unchecked Sendable {
    // @unchecked: every stored property except `mailbox`, `drainRequest`, `heartbeat` and
    // `threadID` is touched only on the loop thread (after `run` starts).
    private let configuration: ServerConfiguration
    private let router: Router
    private let epoll: Int32
    private let wakeFD: Int32
    private var listeners: [Int32]
    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 1
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var dateBytes: [UInt8] = []
    private var dateSecond = -1
    private var draining = false
    /// The monotonic time of this loop iteration (ms), for answers: those made on the
    /// loop's thread and those taken from the mailbox in the same iteration.
    private var iterationNow: Int64 = 0
    private var drainDeadline: Int64 = 0

    private struct Delivery {
        let connectionID: UInt64
        let sequence: Int
        /// nil: close the connection without answering (`HTTPResponder.abort()`).
        let response: HTTPResponse?
    }

    private let mailbox = Mutex<[Delivery]>([])
    private let drainRequest = Atomic<Int64>(0)
    /// Incremented on every loop iteration; a watchdog can check that the loop turns.
    let heartbeat = Atomic<UInt64>(0)
    private let threadID = Atomic<UInt>(0)

    private static let wakeID: UInt64 = 0
    private static let listenerBit: UInt64 = 1 << 63

    init(configuration: ServerConfiguration, router: Router, listeners: [Int32], counter: ConnectionCounter) throws(SystemCallError) {
        self.configuration = configuration
        self.router = router
        self.listeners = listeners
        self.counter = counter
        epoll = try SystemCall.check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try SystemCall.check("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        try add(wakeFD, id: Self.wakeID, events: EPOLLIN.rawValue)
        for (index, listener) in listeners.enumerated() {
            try add(listener, id: Self.listenerBit | UInt64(index), events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        }
    }

    /// Shared by the server's loops, for the connection cap.
    private let counter: ConnectionCounter

    deinit {
        close(epoll)
        close(wakeFD)
    }

    private func add(_ fd: Int32, id: UInt64, events: UInt32) throws(SystemCallError) {
        var event = epoll_event()
        dpb_epoll_event_set(&event, events, id)
        _ = try SystemCall.check("epoll_ctl(ADD)") { epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) }
    }

    private func modify(_ connection: Connection, wantWrite: Bool) {
        setInterest(connection, read: wantsToRead(connection), write: wantWrite)
    }

    /// Too much waits to go out on `connection`: parse none of its requests and read
    /// nothing more until its answers drain (a client pipelining without reading).
    private func isBackedUp(_ connection: Connection) -> Bool {
        connection.inFlight >= configuration.maxPipelinedRequests
            || connection.unsentBytes >= configuration.maxUnsentResponseBytes
    }

    /// Reading is wanted until EOF, except while backed up (when discarding, always).
    private func wantsToRead(_ connection: Connection) -> Bool {
        !connection.peerClosed && (connection.readingStopped || !isBackedUp(connection))
    }

    private func setInterest(_ connection: Connection, read: Bool, write: Bool) {
        guard connection.wantsRead != read || connection.wantsWrite != write else { return }
        connection.wantsRead = read
        connection.wantsWrite = write
        var event = epoll_event()
        dpb_epoll_event_set(
            &event, (read ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (write ? EPOLLOUT.rawValue : 0), connection.id)
        epoll_ctl(epoll, EPOLL_CTL_MOD, connection.fd, &event)
    }

    // MARK: - Cross-thread entry points

    func deliver(connectionID: UInt64, sequence: Int, response: HTTPResponse?) {
        if threadID.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))) {
            // A handler that answered at once, on the loop's thread.
            guard let connection = connections[connectionID] else { return }
            answer(connection, sequence: sequence, response: response, now: iterationNow)
            return
        }
        mailbox.withLock { $0.append(Delivery(connectionID: connectionID, sequence: sequence, response: response)) }
        wake()
    }

    /// Stop accepting; finish in-flight requests; close idle connections; stop by `deadline` (ms, monotonic).
    func requestDrain(deadline: Int64) {
        drainRequest.store(deadline, ordering: .releasing)
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - The loop

    func run() {
        threadID.store(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), ordering: .relaxed)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Self.nowMilliseconds()
        while true {
            heartbeat.wrappingAdd(1, ordering: .relaxed)
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), 100)
            }
            if count < 0 && errno != EINTR { break }
            let now = Self.nowMilliseconds()
            iterationNow = now
            refreshDate()
            for index in 0..<max(0, Int(count)) {
                var event = events[index]
                let id = dpb_epoll_event_data(&event)
                if id == Self.wakeID {
                    drainWake()
                } else if id & Self.listenerBit != 0 {
                    acceptConnections(listeners[Int(id & ~Self.listenerBit)], now: now)
                } else if let connection = connections[id] {
                    handle(dpb_epoll_event_events(&event), on: connection, now: now)
                }
            }
            if !draining, drainRequest.load(ordering: .acquiring) != 0 { beginDrain() }
            if now - lastSweep >= 100 || draining {
                sweep(now: now)
                lastSweep = now
            }
            if draining && (connections.isEmpty || now >= drainDeadline) { break }
        }
        for connection in Array(connections.values) { closeConnection(connection) }
        for listener in listeners { close(listener) }
        listeners.removeAll()
    }

    private func drainWake() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        let deliveries = mailbox.withLock { pending -> [Delivery] in
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        for delivery in deliveries { apply(delivery) }
    }

    private func beginDrain() {
        draining = true
        drainDeadline = drainRequest.load(ordering: .acquiring)
        for listener in listeners {
            epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil)
            close(listener)
        }
        listeners.removeAll()
        for connection in Array(connections.values) {
            if connection.isIdle {
                closeConnection(connection)
            } else {
                // Finish what was asked, including a request still arriving; no new
                // requests on this connection.
                let last = connection.parser.hasPartialRequest ? connection.nextSequence : max(connection.nextSequence - 1, 0)
                connection.closeAfterSequence = min(connection.closeAfterSequence ?? Int.max, last)
                if connection.inFlight == 0 && !connection.hasOutput && !connection.parser.hasPartialRequest {
                    closeConnection(connection)
                }
            }
        }
    }

    // MARK: - Accepting

    private func acceptConnections(_ listener: Int32, now: Int64) {
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    dpb_accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return  // EAGAIN, or EMFILE: try again on the next readiness.
            }
            if counter.value >= configuration.maxConnections || draining {
                _ = Self.overloaded.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            SystemCall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let connection = Connection(
                id: nextID, fd: fd, remoteAddress: SystemCall.addressText(storage), limits: configuration.parserLimits, now: now)
            nextID += 1
            do {
                try add(fd, id: connection.id, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
            } catch {
                close(fd)
                continue
            }
            connections[connection.id] = connection
            counter.add(1)
        }
    }

    private static let overloaded = Array(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n".utf8)

    // MARK: - Reading

    private func handle(_ events: UInt32, on connection: Connection, now: Int64) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && events & EPOLLIN.rawValue == 0 {
            closeConnection(connection)
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            flush(connection, now: now)
            if connection.isClosed { return }
            if !connection.readingStopped && connection.parser.hasPartialRequest && !isBackedUp(connection) {
                // Answers drained: go on with pipelined requests already read.
                parseRequests(connection, now: now)
                if connection.isClosed { return }
            }
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readAvailable(connection, now: now)
        }
    }

    private func readAvailable(_ connection: Connection, now: Int64) {
        guard !connection.readingStopped else { return discardInput(connection) }
        for _ in 0..<4 {
            let count = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { break }
                closeConnection(connection)
                return
            }
            if count == 0 {
                // The client closed its side: answer what was asked, then close.
                if connection.inFlight == 0 && !connection.hasOutput {
                    closeConnection(connection)
                } else {
                    connection.readingStopped = true
                    connection.peerClosed = true
                    connection.closeAfterSequence = max(connection.nextSequence - 1, 0)
                    setInterest(connection, read: false, write: connection.wantsWrite)
                }
                return
            }
            if !connection.parser.hasPartialRequest && connection.isIdle { connection.phaseStartedAt = now }
            connection.lastReadAt = now
            readBuffer.withUnsafeBytes { connection.parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if count < readBuffer.count { break }
        }
        parseRequests(connection, now: now)
    }

    /// Reads and throws away what a client sends after we decided to close, so that
    /// closing does not reset the connection under the answer; EOF, an error or
    /// `lingerMaxBytes` ends it.
    private func discardInput(_ connection: Connection) {
        for _ in 0..<4 {
            let count = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { closeConnection(connection) }
                return
            }
            if count == 0 {
                if connection.lingeringSince != nil || (connection.inFlight == 0 && !connection.hasOutput) {
                    closeConnection(connection)
                } else {
                    // Answers are still to be written: wait for them, no longer for input.
                    connection.peerClosed = true
                    setInterest(connection, read: false, write: connection.wantsWrite)
                }
                return
            }
            connection.discardedBytes += count
            if connection.discardedBytes > configuration.lingerMaxBytes {
                closeConnection(connection)
                return
            }
        }
    }

    private func parseRequests(_ connection: Connection, now: Int64) {
        guard !connection.isParsing else { return }
        var backedUp: Bool
        repeat {
        connection.isParsing = true
        backedUp = false
        parsing: while !connection.readingStopped && !connection.isClosed {
            // Bound pipelining: stop parsing while many responses are outstanding.
            if isBackedUp(connection) {
                backedUp = true
                break
            }
            switch connection.parser.next() {
            case .needMore:
                if !connection.parser.hasPartialRequest { connection.phaseStartedAt = now }
                if connection.parser.isReadingBody && connection.bodyStartedAt == nil { connection.bodyStartedAt = now }
                break parsing
            case .continueNeeded:
                if connection.inFlight == 0 && !connection.hasOutput {
                    connection.output.append(contentsOf: ResponseWriter.continueResponse)
                    flush(connection, now: now)
                }
            case .error(let error):
                connection.readingStopped = true
                let sequence = connection.nextSequence
                connection.nextSequence += 1
                connection.closeAfterSequence = sequence
                connection.slots.append(.init(keepAlive: false, isHead: false, version: (1, 1)))
                apply(to: connection, sequence: sequence, response: HTTPResponse(status: error.status, text: error.reason + "\n"), now: now)
                break parsing
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                let sequence = connection.nextSequence
                connection.nextSequence += 1
                connection.bodyStartedAt = nil
                let keepAlive = request.keepAlive && !draining
                connection.slots.append(.init(keepAlive: keepAlive, isHead: request.method == "HEAD", version: request.version))
                if !keepAlive {
                    connection.readingStopped = true
                    connection.closeAfterSequence = sequence
                }
                connection.phaseStartedAt = now
                switch router.resolve(&request) {
                case .response(let response):
                    apply(to: connection, sequence: sequence, response: response, now: now)
                case .handler(let handler):
                    handler(request, HTTPResponder(loop: self, connectionID: connection.id, sequence: sequence))
                }
            }
        }
        connection.isParsing = false
        if connection.isClosed { return }
        if connection.hasOutput {
            flush(connection, now: now)
        } else {
            modify(connection, wantWrite: connection.wantsWrite)
        }
        if connection.isClosed { return }
        // If the answers went out at once, go on with pipelined requests already read.
        } while backedUp && !connection.readingStopped && !isBackedUp(connection)
    }

    // MARK: - Writing

    private func apply(_ delivery: Delivery) {
        guard let connection = connections[delivery.connectionID] else { return }  // The client left.
        answer(connection, sequence: delivery.sequence, response: delivery.response, now: iterationNow)
    }

    /// A handler's answer (nil: abort) to request `sequence`: the first one counts, and
    /// any later one for the same request is ignored.
    private func answer(_ connection: Connection, sequence: Int, response: HTTPResponse?, now: Int64) {
        let index = sequence - connection.nextToWrite
        guard index >= 0 && index < connection.slots.count, !connection.slots[index].answered else { return }
        connection.slots[index].answered = true
        guard let response else { return closeConnection(connection) }
        apply(to: connection, sequence: sequence, response: response, now: now)
    }

    private func apply(to connection: Connection, sequence: Int, response: HTTPResponse, now: Int64) {
        let index = sequence - connection.nextToWrite
        guard index >= 0 && index < connection.slots.count else { return }
        guard index == 0 else {
            connection.slots[index].response = response  // An earlier response is still being prepared.
            connection.queuedBytes += response.body.count + response.headerLines.count
            return
        }
        let hadOutput = connection.hasOutput
        // The response goes out at once, then any later ones that were waiting for it,
        // each moved out of its slot rather than copied.
        append(response, slot: 0, on: connection)
        var written = 1
        while written < connection.slots.count, let ready = connection.slots[written].response.take() {
            connection.queuedBytes -= ready.body.count + ready.headerLines.count
            append(ready, slot: written, on: connection)
            written += 1
        }
        if written == connection.slots.count {
            connection.slots.removeAll(keepingCapacity: true)
        } else {
            connection.slots.removeFirst(written)
        }
        if !hadOutput { connection.lastWriteProgressAt = now }
        if connection.isParsing { return }  // The parse loop writes once at its end.
        flush(connection, now: now)
        if !connection.isClosed && !connection.readingStopped && connection.parser.hasPartialRequest {
            // Responses freed room for more pipelined requests already buffered.
            parseRequests(connection, now: now)
        }
    }

    /// Appends the response for `connection.slots[slot]` (sequence `nextToWrite`) to the output.
    private func append(_ response: HTTPResponse, slot: Int, on connection: Connection) {
        let closing = connection.closeAfterSequence == connection.nextToWrite
        ResponseWriter.write(
            response, keepAlive: connection.slots[slot].keepAlive && !closing, isHead: connection.slots[slot].isHead,
            version: connection.slots[slot].version, date: dateBytes, serverName: configuration.serverName,
            into: &connection.output)
        connection.nextToWrite += 1
    }

    private func flush(_ connection: Connection, now: Int64) {
        while connection.hasOutput {
            let count = connection.output.withUnsafeBytes { raw in
                send(connection.fd, raw.baseAddress! + connection.outputOffset, raw.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    modify(connection, wantWrite: true)
                    return
                }
                closeConnection(connection)
                return
            }
            connection.outputOffset += count
            connection.lastWriteProgressAt = now
        }
        connection.output.removeAll(keepingCapacity: connection.output.capacity <= 16 * 1024)
        connection.outputOffset = 0
        modify(connection, wantWrite: false)
        if let last = connection.closeAfterSequence, connection.nextToWrite > last {
            finishConnection(connection, now: now)
        } else if connection.isIdle {
            connection.phaseStartedAt = now
        }
    }

    /// Closes after the last answer: at once when the client has closed its side too,
    /// else gracefully (RFC 9112 §9.6): shut down our side and read and discard until the
    /// client closes, at most `lingerTimeout` (the sweep ends it) and `lingerMaxBytes`,
    /// so that input still arriving does not reset the connection before the client has
    /// read the answer.
    private func finishConnection(_ connection: Connection, now: Int64) {
        guard !connection.peerClosed else { return closeConnection(connection) }
        guard connection.lingeringSince == nil else { return }
        connection.readingStopped = true
        connection.lingeringSince = now
        shutdown(connection.fd, Int32(SHUT_WR))
        setInterest(connection, read: true, write: false)
    }

    // MARK: - Timeouts

    private func sweep(now: Int64) {
        let header = Self.milliseconds(configuration.headerTimeout)
        let body = Self.milliseconds(configuration.bodyTimeout)
        let bodyDeadline = Self.milliseconds(configuration.bodyDeadline)
        let idle = Self.milliseconds(configuration.keepAliveTimeout)
        let write = Self.milliseconds(configuration.writeTimeout)
        let linger = Self.milliseconds(configuration.lingerTimeout)
        for connection in Array(connections.values) {
            if let since = connection.lingeringSince {
                if now - since > linger { closeConnection(connection) }
            } else if connection.hasOutput {
                if now - connection.lastWriteProgressAt > write { closeConnection(connection) }
            } else if connection.inFlight > 0 {
                continue  // A handler is working; it has its own deadline.
            } else if connection.parser.isReadingBody {
                if now - connection.lastReadAt > body || now - (connection.bodyStartedAt ?? now) > bodyDeadline {
                    timeOut(connection, now: now, reason: "body not received in time")
                }
            } else if connection.parser.hasPartialRequest {
                if now - connection.phaseStartedAt > header { timeOut(connection, now: now, reason: "header section not received in time") }
            } else if draining || now - connection.phaseStartedAt > idle {
                closeConnection(connection)
            }
        }
    }

    private func timeOut(_ connection: Connection, now: Int64, reason: String) {
        connection.readingStopped = true
        let sequence = connection.nextSequence
        connection.nextSequence += 1
        connection.closeAfterSequence = sequence
        connection.slots.append(.init(keepAlive: false, isHead: false, version: (1, 1)))
        apply(to: connection, sequence: sequence, response: HTTPResponse(status: 408, text: reason + "\n"), now: now)
    }

    private func closeConnection(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        connection.isClosed = true
        epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nil)
        close(connection.fd)
        counter.add(-1)
    }

    // MARK: - Time

    private func refreshDate() {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let second = Int(time.tv_sec)
        if second != dateSecond {
            dateSecond = second
            dateBytes = ResponseWriter.httpDate(second)
        }
    }

    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

/// Open connections across a server's loops, for the cap.
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ delta: Int) { count.wrappingAdd(delta, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
