import DocplannerAPI
import Foundation
import Logging
import Scheduling
import Synchronization

/// PUSH recovery: asks Docplanner once an hour (`POST /notifications/release`) to send
/// again the pushes that failed, e.g. while the daemon was down. A 429 moves the next
/// try to when Docplanner allows it; a failure that may pass is retried after 5 s,
/// doubling up to `retryInterval`.
package final class NotificationReleaser: BackgroundPart {
    private let docplanner: DocplannerClient
    private let interval: Double
    private let retryInterval: Double
    private let logger: Logger
    private let loop: BackgroundLoop
    private let releases = Atomic<Int>(0)
    /// The wait before the next try after a failure that may pass (doubling).
    private let retry: Mutex<Double>

    package init(
        docplanner: DocplannerClient, interval: Double = 3600, retryInterval: Double = 300, logger: Logger,
        scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        retry = Mutex(min(5, retryInterval))
        self.docplanner = docplanner
        self.interval = interval
        self.retryInterval = retryInterval
        self.logger = logger
    }

    /// Successful releases since start.
    package var count: Int { releases.load(ordering: .relaxed) }

    /// Starts the turns; the first release goes out at once (pushes failed while the
    /// daemon was stopped come back).
    package func start() {
        loop.start(name: "releaser") { [self] in turn() }
    }

    package func stop() {
        loop.stop()
    }

    /// Out of the watchdog: a release is one call to Docplanner, bounded by the client's
    /// timeout; a slow Docplanner is no reason to restart the daemon.
    package var heartbeat: UInt64? { nil }

    /// One release; returns the seconds until the next.
    private func turn() -> Double {
        let wait: Double
        do {
            try docplanner.releaseNotifications()
            releases.add(1, ordering: .relaxed)
            logger.info("asked Docplanner to re-send failed pushes", metadata: ["event": "notifications-released"])
            wait = interval
            retry.withLock { $0 = min(5, retryInterval) }
        } catch .rateLimited(_, let retryAfter) {
            wait = max(1, retryAfter ?? interval)
            logger.info(
                "Docplanner allows one release an hour; next try later",
                metadata: ["event": "release-deferred", "retry_in_s": "\(Int(wait))"])
        } catch {
            let current = retry.withLock { retry in
                defer { retry = min(retry * 2, retryInterval) }
                return retry
            }
            wait = error.isRetryable ? current : interval
            logger.warning(
                "cannot ask Docplanner to re-send failed pushes",
                metadata: ["event": "release-failed", "error": "\(error)", "retry_in_s": "\(Int(wait))"])
        }
        return wait
    }
}
