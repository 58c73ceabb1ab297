internal import CLinux
import Glibc

/// An error from a system call: which call, and `errno`.
package struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    package let call: String
    package let errno: Int32

    package var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Thin wrappers over the socket and epoll calls the server needs: each retries on
/// EINTR and reports failure as a typed error, or — for the calls on non-blocking
/// sockets — as a result where "would block" is a case, not an errno to check. Nothing
/// else in the module calls them raw.
enum SystemCall {
    /// The outcome of a read or send on a non-blocking socket.
    enum IOResult: Equatable {
        /// This many bytes (more than zero) were read or sent.
        case transferred(Int)
        /// The peer closed its sending side (reads only).
        case endOfInput
        /// Nothing can be done now: wait for readiness.
        case wouldBlock
        /// The call failed with this errno (the connection is broken).
        case failed(Int32)
    }

    /// The outcome of accepting on a non-blocking listening socket.
    enum AcceptResult {
        case accepted(Int32, sockaddr_storage)
        /// No connection is waiting.
        case wouldBlock
        /// `errno`, EMFILE say: try again on the next readiness.
        case failed(Int32)
    }

    /// Runs `body` until it does not fail with EINTR; throws the errno of any other failure.
    static func check(_ call: String, _ body: () -> Int32) throws(SystemCallError) -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno != EINTR { throw SystemCallError(call: call, errno: errno) }
        }
    }

    // MARK: - Non-blocking socket I/O

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfInput }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed(errno)
        }
    }

    /// Sends what the socket takes of `bytes` (never raising SIGPIPE).
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count == 0 && !bytes.isEmpty ? .wouldBlock : .transferred(count) }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed(errno)
        }
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket (a connection
    /// aborted before it was accepted is skipped).
    static func accept(_ listener: Int32) -> AcceptResult {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    dpb_accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd >= 0 { return .accepted(fd, storage) }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed(errno)
        }
    }

    /// Shuts down the sending side: the peer reads EOF after the bytes already sent.
    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    // MARK: - epoll and eventfd

    static func epollCreate() throws(SystemCallError) -> Int32 {
        try check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    /// Watches `fd` for `events`, reported with `data`.
    static func epollAdd(_ epoll: Int32, _ fd: Int32, events: UInt32, data: UInt64) throws(SystemCallError) {
        var event = epoll_event()
        dpb_epoll_event_set(&event, events, data)
        _ = try check("epoll_ctl(ADD)") { epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) }
    }

    static func epollModify(_ epoll: Int32, _ fd: Int32, events: UInt32, data: UInt64) {
        var event = epoll_event()
        dpb_epoll_event_set(&event, events, data)
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event)
    }

    static func epollRemove(_ epoll: Int32, _ fd: Int32) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
    }

    /// Waits up to `timeout` ms for events; 0 when interrupted, -1 when epoll failed.
    static func epollWait(_ epoll: Int32, into events: inout [epoll_event], timeout: Int32) -> Int {
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout)
        }
        if count < 0 { return errno == EINTR ? 0 : -1 }
        return Int(count)
    }

    static func eventFD() throws(SystemCallError) -> Int32 {
        try check("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
    }

    /// Makes an eventfd readable.
    static func signal(eventFD fd: Int32) {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    /// Makes an eventfd unreadable again.
    static func reset(eventFD fd: Int32) {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }

    // MARK: - Setup

    static func setNonBlocking(_ fd: Int32) throws(SystemCallError) {
        let flags = try check("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
        _ = try check("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A listening TCP socket bound to `host:port` (IPv4 or IPv6 literal).
    static func listeningSocket(host: String, port: Int, reusePort: Bool, backlog: Int32 = 1024) throws(SystemCallError)
        -> Int32
    {
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        if host.contains(":") {
            family = AF_INET6
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                throw SystemCallError(call: "inet_pton(\(host))", errno: EINVAL)
            }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            family = AF_INET
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                throw SystemCallError(call: "inet_pton(\(host))", errno: EINVAL)
            }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let fd = try check("socket") {
            socket(
                family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if reusePort { setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
        do throws(SystemCallError) {
            _ = try check("bind(\(host):\(port))") {
                withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
                }
            }
            _ = try check("listen") { listen(fd, backlog) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// A listening Unix-domain socket at `path` (a stale socket file there is replaced;
    /// any other file is an error), readable and writable by owner and group.
    static func unixListeningSocket(path: String, backlog: Int32 = 1024) throws(SystemCallError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw SystemCallError(call: "bind(\(path))", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFSOCK else {
                throw SystemCallError(call: "bind(\(path)): not a socket", errno: EEXIST)
            }
            unlink(path)
        }
        let fd = try check("socket") {
            socket(
                AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemCallError) {
            _ = try check("bind(\(path))") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
            _ = try check("chmod(\(path))") { chmod(path, 0o660) }
            _ = try check("listen") { listen(fd, backlog) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return port(of: storage)
    }

    static func port(of storage: sockaddr_storage) -> Int {
        let family = storage.ss_family
        return withUnsafeBytes(of: storage) { raw in
            if family == sa_family_t(AF_INET6) {
                return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            }
            return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// The textual address of a peer.
    static func addressText(_ storage: sockaddr_storage) -> String {
        let family = storage.ss_family
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafeBytes(of: storage) { raw -> String in
            if family == sa_family_t(AF_INET6) {
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            } else if family == sa_family_t(AF_INET) {
                var address = raw.load(as: sockaddr_in.self).sin_addr
                inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            } else if family == sa_family_t(AF_UNIX) {
                return "unix"
            } else {
                return ""
            }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
