import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel for a free TCP port on 127.0.0.1 (bind to port 0, read it back, close).
/// Another process may take it before the caller binds; tests bind immediately after.
package func freeLoopbackPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0, "socket() failed")
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    precondition(bound == 0, "bind/getsockname failed")
    return UInt16(bigEndian: address.sin_port)
}
