import Foundation
import TestSupport
import Testing

/// A unix datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let path: String
    let fd: Int32
    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-notify")
        path = directory.file("notify.sock")
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    deinit {
        close(fd)
        directory.remove()
    }

    /// Messages received within `seconds`, or up to the first moment `enough` holds of
    /// them (a loaded machine may take seconds where an idle one takes milliseconds).
    func messages(for seconds: Double, until enough: ([String]) -> Bool = { _ in false }) -> [String] {
        var result: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !enough(result) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { result.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
        }
        return result
    }
}

@Suite(.serialized) struct SystemdProtocolTests {
    @Test func readyWatchdogReloadAndStopping() throws {
        let notify = try NotifySocket()
        let daemon = try RunningDaemon(extraEnvironment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        let started = notify.messages(for: 30) { $0.contains("WATCHDOG=1") }
        #expect(started.first?.hasPrefix("READY=1\nSTATUS=inbox 0 pending") == true, "\(started)")
        #expect(started.contains("WATCHDOG=1"), "\(started)")

        // A stopped process sends no watchdog pings; it resumes after SIGCONT.
        kill(daemon.process.processIdentifier, SIGSTOP)
        _ = notify.messages(for: 0.15)  // what was in flight
        let whileStopped = notify.messages(for: 0.5)
        kill(daemon.process.processIdentifier, SIGCONT)
        #expect(!whileStopped.contains("WATCHDOG=1"))
        #expect(notify.messages(for: 30) { $0.contains("WATCHDOG=1") }.contains("WATCHDOG=1"))

        // SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 again.
        kill(daemon.process.processIdentifier, SIGHUP)
        let reloaded = notify.messages(for: 30) { $0.contains { $0.hasPrefix("READY=1") } }
        #expect(reloaded.contains { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }, "\(reloaded)")
        #expect(reloaded.contains { $0.hasPrefix("READY=1") }, "\(reloaded)")

        daemon.process.terminate()
        let stopping = notify.messages(for: 30) { $0.contains("STOPPING=1") }
        #expect(stopping.contains("STOPPING=1"), "\(stopping)")
        let log = daemon.stopAndReadLog()
        #expect(log.contains("msg=\"configuration reloaded\""), "\(log)")
        #expect(daemon.process.terminationStatus == 0)
    }
}
