import Glibc
import Synchronization

/// An HTTP/1.1 server on non-blocking sockets and epoll. Bind or adopt listening
/// sockets, `start()`, and later `shutdown(deadline:)` to drain gracefully.
package final class HTTPServer: Sendable {
    private struct State {
        var listeners: [[Int32]] = []  // per loop
        var adopted: [Int32] = []
        var loops: [EventLoop] = []
        var threads: [pthread_t] = []
        var started = false
    }

    package let configuration: ServerConfiguration
    private let router: Router
    private let state = Mutex(State())
    private let shutdownLock = Mutex(())
    private let counter = ConnectionCounter()

    package init(configuration: ServerConfiguration = ServerConfiguration(), router: Router) {
        self.configuration = configuration
        self.router = router
    }

    /// Listens on `host:port` (an IPv4 or IPv6 literal; port 0 picks a free one) and
    /// returns the port. With several loops each gets its own socket (SO_REUSEPORT).
    @discardableResult
    package func bind(host: String, port: Int) throws(SystemCallError) -> Int {
        let loops = max(1, configuration.loopCount)
        let first = try SystemCall.listeningSocket(host: host, port: port, reusePort: loops > 1)
        let actual = SystemCall.localPort(first)
        var sockets = [first]
        for _ in 1..<loops {
            sockets.append(try SystemCall.listeningSocket(host: host, port: actual, reusePort: true))
        }
        state.withLock { state in
            if state.listeners.isEmpty { state.listeners = Array(repeating: [], count: loops) }
            for (index, socket) in sockets.enumerated() { state.listeners[index].append(socket) }
        }
        return actual
    }

    /// Listens on a Unix-domain socket at `path` (mode 0660; a stale socket file is
    /// replaced). Peers show as `remoteAddress` "unix".
    package func bind(unixSocketPath path: String) throws(SystemCallError) {
        let fd = try SystemCall.unixListeningSocket(path: path)
        state.withLock { $0.adopted.append(fd) }
    }

    /// Serves an already-listening socket (systemd socket activation).
    package func adopt(listeningDescriptor fd: Int32) throws(SystemCallError) {
        try SystemCall.setNonBlocking(fd)
        state.withLock { $0.adopted.append(fd) }
    }

    /// Starts the event-loop threads.
    package func start() throws(SystemCallError) {
        let loopCount = max(1, configuration.loopCount)
        let loops: [EventLoop] = try state.withLock { state throws(SystemCallError) -> [EventLoop] in
            precondition(!state.started, "HTTPServer.start() called twice")
            state.started = true
            if state.listeners.isEmpty { state.listeners = Array(repeating: [], count: loopCount) }
            var loops: [EventLoop] = []
            for index in 0..<loopCount {
                // Adopted sockets are shared by all loops (EPOLLEXCLUSIVE wakes one).
                loops.append(
                    try EventLoop(
                        configuration: configuration, router: router, listeners: state.listeners[index] + state.adopted,
                        counter: counter))
            }
            state.loops = loops
            return loops
        }
        var threads: [pthread_t] = []
        for loop in loops {
            threads.append(Self.spawn { loop.run() })
        }
        state.withLock { $0.threads = threads }
    }

    /// Stops accepting, lets in-flight requests finish (their responses carry
    /// `Connection: close`), closes idle connections, and returns when every connection
    /// is closed or `deadline` has passed. Safe to call more than once and from several
    /// threads: later calls wait for the first one to finish.
    package func shutdown(deadline: Duration = .seconds(10)) {
        shutdownLock.withLock { _ in
            let (loops, threads) = state.withLock { ($0.loops, $0.threads) }
            let until = EventLoop.nowMilliseconds() + deadline.wholeMilliseconds
            for loop in loops { loop.requestDrain(deadline: until) }
            for thread in threads { pthread_join(thread, nil) }  // each thread joined once
            state.withLock {
                $0.threads = []
                $0.loops = []
            }
        }
    }

    /// Open connections now.
    package var connectionCount: Int { counter.value }

    /// A number that grows while every event loop keeps turning (the minimum over loops).
    package var heartbeat: UInt64 {
        state.withLock { state in state.loops.map { $0.heartbeat.load(ordering: .relaxed) }.min() ?? 0 }
    }

    private static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t {
        final class Box: @unchecked Sendable {
            // @unchecked: written before the thread starts, read once by it.
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body))
        let result = pthread_create(
            &thread, nil,
            { argument in
                let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
                box.body()
                return nil
            }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        return thread
    }
}
