import Foundation
import Store
import Synchronization
import Systemd

/// Sends `WATCHDOG=1` at half the interval systemd expects, and refreshes `STATUS=`.
/// Nothing runs when the watchdog is off and no service manager listens.
final class WatchdogPinger: Sendable {
    private let notifier: SystemdNotifier
    private let health: DaemonHealth
    private let store: Store
    private let running = Atomic<Bool>(false)

    init(notifier: SystemdNotifier, health: DaemonHealth, store: Store) {
        self.notifier = notifier
        self.health = health
        self.store = store
    }

    func start() {
        guard notifier.isEnabled else { return }
        running.store(true, ordering: .relaxed)
        let interval = notifier.watchdogInterval.map { $0 / 2 } ?? .seconds(15)
        let thread = Thread { [self] in
            var sinceStatus = Duration.zero
            while running.load(ordering: .relaxed) {
                if notifier.watchdogInterval != nil { notifier.watchdog() }
                if sinceStatus >= .seconds(10) {
                    notifier.status(health.statusLine(store: store))
                    sinceStatus = .zero
                }
                let step = min(interval, .seconds(1))
                Thread.sleep(forTimeInterval: Double(step.components.seconds) + Double(step.components.attoseconds) / 1e18)
                sinceStatus += step
            }
        }
        thread.name = "watchdog"
        thread.start()
    }

    func stop() { running.store(false, ordering: .relaxed) }
}
