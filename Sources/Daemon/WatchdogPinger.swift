import Foundation
import Store
import Synchronization
import Systemd

/// Sends `WATCHDOG=1` at a quarter of the interval systemd expects, but only while the
/// daemon makes progress: every event loop has turned since the last check (a loop
/// turns at least ten times a second even when idle). A wedged loop therefore stops the
/// pings and systemd restarts the service. Also refreshes `STATUS=` every 10 s.
final class WatchdogPinger: Sendable {
    private let notifier: SystemdNotifier
    private let status: @Sendable () -> String
    private let progress: @Sendable () -> [UInt64]
    private let running = Atomic<Bool>(false)

    /// `progress` returns one counter per part that must keep turning (each server's
    /// slowest event loop, the slowest inbound worker); every one must have grown.
    /// `status` is the `STATUS=` line.
    init(
        notifier: SystemdNotifier, status: @escaping @Sendable () -> String,
        progress: @escaping @Sendable () -> [UInt64]
    ) {
        self.notifier = notifier
        self.status = status
        self.progress = progress
    }

    func start() {
        guard notifier.isEnabled else { return }
        running.store(true, ordering: .relaxed)
        let step = notifier.watchdogInterval.map { min($0 / 4, .seconds(1)) } ?? .seconds(1)
        let thread = Thread { [self] in
            var lastProgress = progress()
            var sinceStatus = Duration.zero
            while running.load(ordering: .relaxed) {
                Thread.sleep(
                    forTimeInterval: Double(step.components.seconds) + Double(step.components.attoseconds) / 1e18)
                let current = progress()
                let everyPartMoved =
                    current.count == lastProgress.count && !zip(current, lastProgress).contains { $0 == $1 }
                if notifier.watchdogInterval != nil && everyPartMoved { notifier.watchdog() }
                lastProgress = current
                sinceStatus += step
                if sinceStatus >= .seconds(10) {
                    notifier.status(status())
                    sinceStatus = .zero
                }
            }
        }
        thread.name = "watchdog"
        thread.start()
    }

    func stop() { running.store(false, ordering: .relaxed) }
}
