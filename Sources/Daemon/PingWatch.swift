import Foundation
import Logging
import Scheduling
import Store
import Sync
import Synchronization

/// Logs when Docplanner's pings stop — a warning once per silence (Docplanner has
/// raised its alert: it cannot reach the callback URL) and a notice when they resume.
/// The same warning shows in `STATUS=` and the admin `/status` (`DaemonHealth`).
final class PingWatch: BackgroundPart {
    private let health: DaemonHealth
    private let logger: Logger
    private let checkInterval: Double
    private let loop: BackgroundLoop
    private let warned = Atomic<Bool>(false)
    /// The store's values when other instances share it: their pings count too.
    private let sharedValues: StoreValues?

    /// `sharedValues`: the store's values when several instances share it (PostgreSQL);
    /// before warning, the last ping any of them kept there is taken into account.
    init(
        health: DaemonHealth, logger: Logger, checkInterval: Double = 10, sharedValues: StoreValues? = nil,
        scheduler: WorkScheduler = .shared
    ) {
        self.health = health
        self.sharedValues = sharedValues
        self.logger = logger
        self.checkInterval = checkInterval
        loop = BackgroundLoop(scheduler: scheduler)
    }

    func start() {
        guard health.pingSilenceLimit != nil else { return }
        loop.start(name: "pingwatch") { [self] in
            check()
            return checkInterval
        }
    }

    private func check() {
        if let sharedValues, health.pingWarning() != nil,
            let kept = try? sharedValues.date(StoreValues.lastPingKey)
        {
            health.noteSharedPing(kept)
        }
        if let warning = health.pingWarning() {
            if !warned.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "\(warning); check the URL configured at Docplanner, DNS, TLS and firewalls",
                    metadata: ["event": "ping-missing"])
            }
        } else if warned.exchange(false, ordering: .relaxed) {
            logger.notice("Docplanner's pings arrive again", metadata: ["event": "ping-resumed"])
        }
    }

    func stop() { loop.stop() }

    /// Out of the watchdog: a check takes no time and nothing waits on it.
    var heartbeat: UInt64? { nil }
}
