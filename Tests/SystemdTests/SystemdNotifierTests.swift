import Foundation
import Glibc
import Systemd
import TestSupport
import Testing

/// Drives the notifier against a real unix datagram socket standing in for systemd's.
@Suite(.serialized) struct SystemdNotifierTests {
    /// Binds a datagram socket at a fresh path, points NOTIFY_SOCKET at it, runs `body`,
    /// and returns every message received.
    func capture(_ body: (SystemdNotifier) -> Void) throws -> [String] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notify.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        body(SystemdNotifier())
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count <= 0 { break }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
        return messages
    }

    @Test func sendsLifecycleStates() throws {
        let messages = try capture { notifier in
            #expect(notifier.isEnabled)
            #expect(notifier.ready(status: "inbox 0\noutbox 0"))
            #expect(notifier.status("inbox 3, outbox 1"))
            #expect(notifier.watchdog())
            #expect(notifier.reloading())
            #expect(notifier.stopping())
        }
        #expect(messages.count == 5)
        #expect(messages[0] == "READY=1\nSTATUS=inbox 0 outbox 0")
        #expect(messages[1] == "STATUS=inbox 3, outbox 1")
        #expect(messages[2] == "WATCHDOG=1")
        #expect(messages[3].hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(UInt64(messages[3].split(separator: "=").last!)! > 0)
        #expect(messages[4] == "STOPPING=1")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        unsetenv("NOTIFY_SOCKET")
        let notifier = SystemdNotifier()
        #expect(!notifier.isEnabled)
        #expect(!notifier.ready())
    }

    @Test func watchdogIntervalFollowsEnvironment() {
        setenv("WATCHDOG_USEC", "3000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier().watchdogInterval == .seconds(3))
    }

    @Test func notSocketActivatedMeansNoSockets() {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        #expect(ListenedSockets.take().isEmpty)
    }
}
