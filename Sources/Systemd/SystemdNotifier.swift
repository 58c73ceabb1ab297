internal import CSystemd
import Glibc

/// Tells the service manager about the daemon's state through `sd_notify(3)`.
/// Outside systemd (no `NOTIFY_SOCKET`) every call is a cheap no-op.
package struct SystemdNotifier: Sendable {
    package init() {}

    /// True when a service manager listens (`NOTIFY_SOCKET` is set).
    package var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends `state` lines such as `READY=1` or `STATUS=…`. Returns false when nothing listens
    /// or the message could not be sent.
    @discardableResult
    package func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// `READY=1`, with an optional status line.
    @discardableResult
    package func ready(status: String? = nil) -> Bool {
        notify(["READY=1", status.map { "STATUS=\(Self.oneLine($0))" }].compactMap { $0 }.joined(separator: "\n"))
    }

    /// `STATUS=…`: the one-line summary `systemctl status` shows.
    @discardableResult
    package func status(_ text: String) -> Bool {
        notify("STATUS=\(Self.oneLine(text))")
    }

    /// `WATCHDOG=1`: the daemon is alive and making progress.
    @discardableResult
    package func watchdog() -> Bool {
        notify("WATCHDOG=1")
    }

    /// `RELOADING=1` with `MONOTONIC_USEC`, as `Type=notify-reload` expects.
    @discardableResult
    package func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        return notify("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// `STOPPING=1`: a graceful shutdown has begun.
    @discardableResult
    package func stopping() -> Bool {
        notify("STOPPING=1")
    }

    /// The watchdog interval systemd expects pings within (`WatchdogSec=`), or nil when off.
    package var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
