import Curl
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A listening socket whose accept queue is full (backlog 0, one connection parked, never
/// accepted): the kernel drops further SYNs, so a new connection hangs in connect.
private final class FullBacklogListener {
    let listener: Int32
    let parked: Int32
    let port: UInt16

    init() {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(listening, pointer, length)
                _ = listen(listening, 0)
                return getsockname(listening, pointer, &length)
            }
        }
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listener = listening
        parked = client
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(parked)
        close(listener)
    }
}

@Suite struct CurlConnectTimeoutTests {
    @Test func connectTimeoutIsEnforced() throws {
        let listener = FullBacklogListener()
        let client = CurlClient(configuration: .init(connectTimeout: .milliseconds(300), timeout: .seconds(10)))
        let started = ContinuousClock.now
        #expect {
            try client.perform(CurlRequest(url: "http://127.0.0.1:\(listener.port)/"))
        } throws: { error in
            guard case .timedOut = error as? CurlError else { return false }
            return true
        }
        // The connect timeout (not the 10 s total) ended the attempt.
        #expect(ContinuousClock.now - started < .seconds(5))
        withExtendedLifetime(listener) {}
    }
}
