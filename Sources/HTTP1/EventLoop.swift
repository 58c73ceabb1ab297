internal import CLinux
import Glibc
import Synchronization

/// One epoll event loop on its own thread: accepts connections, reads and parses
/// requests, calls handlers, writes responses in order, and enforces limits and
/// timeouts. Only `deliver` and `requestDrain` may be called from other threads.
final class EventLoop: @unchecked Sendable {
    // @unchecked: every stored property except `mailbox`, `drainRequest`, `heartbeat` and
    // `threadID` is touched only on the loop thread (after `run` starts).
    private let configuration: ServerConfiguration
    private let settings: ConnectionStateMachine.Settings
    private let router: Router
    private let epoll: Int32
    private let wakeFD: Int32
    private var listeners: [Int32]
    private var connections = ConnectionTable()
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
    /// Shared by the server's loops, for the connection cap.
    private let counter: ConnectionCounter

    private static let wakeID: UInt64 = 0
    private static let listenerBit: UInt64 = 1 << 63

    init(configuration: ServerConfiguration, router: Router, listeners: [Int32], counter: ConnectionCounter)
        throws(SystemCallError)
    {
        self.configuration = configuration
        settings = ConnectionStateMachine.Settings(configuration)
        self.router = router
        self.listeners = listeners
        self.counter = counter
        epoll = try SystemCall.epollCreate()
        wakeFD = try SystemCall.eventFD()
        try SystemCall.epollAdd(epoll, wakeFD, events: EPOLLIN.rawValue, data: Self.wakeID)
        for (index, listener) in listeners.enumerated() {
            try SystemCall.epollAdd(
                epoll, listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue,
                data: Self.listenerBit | UInt64(index))
        }
    }

    deinit {
        SystemCall.close(epoll)
        SystemCall.close(wakeFD)
    }

    // MARK: - Cross-thread entry points

    func deliver(connectionID: UInt64, sequence: Int, response: HTTPResponse?) {
        if threadID.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))) {
            // A handler that answered at once, on the loop's thread (usually while the
            // loop runs this connection's actions: that run picks the answer up).
            guard let connection = connections[connectionID] else { return }
            connection.machine.responseReady(response, sequence: sequence)
            run(connection, now: iterationNow)
            return
        }
        // One wake-up per batch of answers: the loop resets the eventfd before it takes the
        // whole mailbox, so an answer added to a non-empty mailbox is taken with the others.
        let wasEmpty = mailbox.withLock { pending -> Bool in
            pending.append(Delivery(connectionID: connectionID, sequence: sequence, response: response))
            return pending.count == 1
        }
        if wasEmpty { SystemCall.signal(eventFD: wakeFD) }
    }

    /// Stop accepting; finish in-flight requests; close idle connections; stop by `deadline` (ms, monotonic).
    func requestDrain(deadline: Int64) {
        drainRequest.store(deadline, ordering: .releasing)
        SystemCall.signal(eventFD: wakeFD)
    }

    // MARK: - The loop

    func run() {
        threadID.store(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), ordering: .relaxed)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Self.nowMilliseconds()
        while true {
            heartbeat.wrappingAdd(1, ordering: .relaxed)
            let count = SystemCall.epollWait(epoll, into: &events, timeout: 100)
            if count < 0 { break }
            let now = Self.nowMilliseconds()
            iterationNow = now
            refreshDate()
            for index in 0..<count {
                var event = events[index]
                let id = dpb_epoll_event_data(&event)
                if id == Self.wakeID {
                    takeDeliveries(now: now)
                } else if id & Self.listenerBit != 0 {
                    acceptConnections(listeners[Int(id & ~Self.listenerBit)], now: now)
                } else if let connection = connections[id] {
                    handle(dpb_epoll_event_events(&event), on: connection, now: now)
                }
            }
            if !draining, drainRequest.load(ordering: .acquiring) != 0 { beginDrain(now: now) }
            if now - lastSweep >= 100 {
                sweep(now: now)
                lastSweep = now
            }
            if draining && (connections.isEmpty || now >= drainDeadline) { break }
        }
        for connection in connections.all { closeConnection(connection) }
        for listener in listeners { SystemCall.close(listener) }
        listeners.removeAll()
    }

    private func takeDeliveries(now: Int64) {
        SystemCall.reset(eventFD: wakeFD)
        let deliveries = mailbox.withLock { pending -> [Delivery] in
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        for delivery in deliveries {
            guard let connection = connections[delivery.connectionID] else { continue }  // The client left.
            connection.machine.responseReady(delivery.response, sequence: delivery.sequence)
            run(connection, now: now)
        }
    }

    private func beginDrain(now: Int64) {
        draining = true
        drainDeadline = drainRequest.load(ordering: .acquiring)
        for listener in listeners {
            SystemCall.epollRemove(epoll, listener)
            SystemCall.close(listener)
        }
        listeners.removeAll()
        for connection in connections.all {
            connection.machine.drainRequested()
            run(connection, now: now)
        }
    }

    // MARK: - Accepting

    private func acceptConnections(_ listener: Int32, now: Int64) {
        for _ in 0..<64 {
            // EAGAIN, or EMFILE: try again on the next readiness.
            guard case .accepted(let fd, let address) = SystemCall.accept(listener) else { return }
            if counter.value >= configuration.maxConnections || draining {
                _ = Self.overloaded.withUnsafeBytes { SystemCall.send(fd, $0) }
                SystemCall.close(fd)
                continue
            }
            SystemCall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let connection = Connection(
                id: connections.nextID(), fd: fd, remoteAddress: SystemCall.addressText(address),
                machine: ConnectionStateMachine(settings: settings, now: now))
            do {
                try SystemCall.epollAdd(epoll, fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, data: connection.id)
            } catch {
                SystemCall.close(fd)
                continue
            }
            connections.insert(connection)
            counter.add(1)
        }
    }

    private static let overloaded = Array(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n".utf8)

    // MARK: - Events into the machine

    private func handle(_ events: UInt32, on connection: Connection, now: Int64) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && events & EPOLLIN.rawValue == 0 {
            connection.machine.socketFailed()
        } else {
            if events & EPOLLOUT.rawValue != 0 { connection.machine.writable() }
            if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 { readAvailable(connection, now: now) }
        }
        run(connection, now: now)
    }

    /// Reads what the socket has (up to four buffers' worth) into the machine.
    private func readAvailable(_ connection: Connection, now: Int64) {
        for _ in 0..<4 {
            switch readBuffer.withUnsafeMutableBytes({ SystemCall.read(connection.fd, into: $0) }) {
            case .transferred(let count):
                readBuffer.withUnsafeBytes {
                    connection.machine.bytesRead(UnsafeRawBufferPointer(rebasing: $0[0..<count]), now: now)
                }
                if count < readBuffer.count { return }
            case .endOfInput:
                connection.machine.endOfInput()
                return
            case .wouldBlock:
                return
            case .failed:
                connection.machine.socketFailed()
                return
            }
        }
    }

    // MARK: - Actions out of the machine

    /// Performs the connection's actions until its machine waits for an event.
    private func run(_ connection: Connection, now: Int64) {
        guard !connection.isRunning && !connection.isClosed else { return }
        connection.isRunning = true
        defer { connection.isRunning = false }
        // Read once: the property read for each action would retain and release it each time.
        let date = dateBytes
        while true {
            // Consumed, so that the request it may carry moves into the handler uncopied.
            let action = connection.machine.nextAction(now: now, date: date)
            switch consume action {
            case .deliver(var request, let sequence):
                request.remoteAddress = connection.remoteAddress
                switch router.resolve(&request) {
                case .response(let response):
                    connection.machine.responseReady(response, sequence: sequence)
                case .handler(let handler):
                    handler(request, HTTPResponder(loop: self, connectionID: connection.id, sequence: sequence))
                }
            case .write:
                switch connection.machine.withUnsentOutput({ SystemCall.send(connection.fd, $0) }) {
                case .transferred(let count): connection.machine.wrote(count, now: now)
                case .wouldBlock, .endOfInput: connection.machine.writeWouldBlock()
                case .failed: connection.machine.socketFailed()
                }
            case .setInterest(let read, let write):
                SystemCall.epollModify(
                    epoll, connection.fd,
                    events: (read ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (write ? EPOLLOUT.rawValue : 0),
                    data: connection.id)
            case .shutdownWrite:
                SystemCall.shutdownWrite(connection.fd)
            case .armTimer(let at):
                connection.timer = at
            case .close:
                closeConnection(connection)
                return
            case .wait:
                return
            }
        }
    }

    /// Ticks the connections whose timer is due.
    private func sweep(now: Int64) {
        let due = connections.all.filter { $0.timer.map { now > $0 } ?? false }
        for connection in due {
            connection.timer = nil
            connection.machine.tick(now: now)
            run(connection, now: now)
        }
    }

    private func closeConnection(_ connection: Connection) {
        guard connections.remove(connection.id) else { return }
        connection.isClosed = true
        SystemCall.epollRemove(epoll, connection.fd)
        SystemCall.close(connection.fd)
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
}

/// Open connections across a server's loops, for the cap.
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ delta: Int) { count.wrappingAdd(delta, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
