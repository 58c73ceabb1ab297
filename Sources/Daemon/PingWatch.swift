import Foundation
import Logging
import Sync

/// Logs when Docplanner's pings stop — a warning once per silence (Docplanner has
/// raised its alert: it cannot reach the callback URL) and a notice when they resume.
/// The same warning shows in `STATUS=` and the admin `/status` (`DaemonHealth`).
final class PingWatch: Sendable {
    private let health: DaemonHealth
    private let logger: Logger
    private let checkInterval: Double
    private let loop = BackgroundLoop()

    init(health: DaemonHealth, logger: Logger, checkInterval: Double = 10) {
        self.health = health
        self.logger = logger
        self.checkInterval = checkInterval
    }

    func start() {
        guard health.pingSilenceLimit != nil else { return }
        loop.start(name: "dpbridge-pingwatch") { [self] in
            var warned = false
            while !loop.isStopping {
                if let warning = health.pingWarning() {
                    if !warned {
                        logger.warning(
                            "\(warning); check the URL configured at Docplanner, DNS, TLS and firewalls",
                            metadata: ["event": "ping-missing"])
                        warned = true
                    }
                } else if warned {
                    logger.notice("Docplanner's pings arrive again", metadata: ["event": "ping-resumed"])
                    warned = false
                }
                loop.pause(checkInterval)
            }
        }
    }

    func stop() { loop.stop() }
}
