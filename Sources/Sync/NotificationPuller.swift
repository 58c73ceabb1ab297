import DocplannerAPI
import Foundation
import Logging
import Scheduling
import Store
import Synchronization

/// PULL mode: turns on the work pool drain Docplanner's notification queue
/// (`GET /notifications/multiple?limit=100`) into the inbox, where the inbound workers
/// apply them exactly as pushed events. Each notification is stored under the same
/// identity and ordering keys as its pushed twin, so an event arriving both ways (mode
/// `both`) or re-sent is applied once.
///
/// While the queue has notifications it pulls again at once; when it is empty it waits,
/// doubling from `minIdle` to `maxIdle` seconds. Docplanner errors back off the same way
/// (or for as long as a 429 asks).
package final class NotificationPuller: BackgroundPart {
    private let docplanner: DocplannerClient
    private let inbox: JobQueue
    private let minIdle: Double
    private let maxIdle: Double
    private let logger: Logger
    private let onStored: @Sendable () -> Void
    /// Where notifications that could not be stored before a stop are written (a file
    /// each, owner-only), so that patient data never goes to the log.
    private let spillDirectory: String
    private let loop: BackgroundLoop
    private let pulled = Atomic<Int>(0)
    /// The wait after an empty answer or an error (doubling from `minIdle` to `maxIdle`).
    private let idle: Mutex<Double>

    package init(
        docplanner: DocplannerClient, inbox: JobQueue, minIdle: Double = 0.25, maxIdle: Double, logger: Logger,
        spillDirectory: String, onStored: @escaping @Sendable () -> Void = {}, scheduler: WorkScheduler = .shared,
        singleton: (any SingletonGate)? = nil
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        idle = Mutex(min(minIdle, maxIdle))
        self.spillDirectory = spillDirectory
        self.docplanner = docplanner
        self.inbox = inbox
        self.minIdle = min(minIdle, maxIdle)
        self.maxIdle = maxIdle
        self.logger = logger
        self.onStored = onStored
    }

    /// Notifications pulled and stored since start.
    package var count: Int { pulled.load(ordering: .relaxed) }

    package func start() {
        loop.start(name: "puller") { [self] in turn() }
    }

    /// Stops after the call in progress (a batch already pulled is stored first).
    package func stop() {
        loop.stop()
    }

    /// Out of the watchdog: a pull is a call to Docplanner bounded by the client's timeout,
    /// and storing a pulled batch retries until the store takes it.
    package var heartbeat: UInt64? { nil }

    /// Writes `body` to a new owner-only file in `spillDirectory`; its path, or nil.
    private func spill(_ body: Data, name: String) -> String? {
        let path = "\(spillDirectory)/unstored-\(name)-\(UUID().uuidString).json"
        let created = FileManager.default.createFile(
            atPath: path, contents: body, attributes: [.posixPermissions: 0o600])
        return created ? path : nil
    }

    /// One pull; returns the seconds until the next.
    private func turn() -> Double {
        func backOff() -> Double {
            idle.withLock { idle in
                defer { idle = min(idle * 2, maxIdle) }
                return idle
            }
        }
        do {
            let batch = try docplanner.pullNotifications(limit: 100)
            if batch.notifications.isEmpty { return backOff() }
            store(batch.notifications)
            idle.withLock { $0 = minIdle }
            return (batch.remaining ?? 1) > 0 ? 0 : minIdle
        } catch {
            var metadata: Logger.Metadata = ["event": "pull-failed", "error": "\(error)"]
            let wait: Double
            switch error.disposition {
            case .retryAfter(let seconds?): wait = seconds
            default: wait = backOff()
            }
            metadata["retry_in_s"] = "\(wait)"
            logger.warning("cannot pull notifications from Docplanner; will try again", metadata: metadata)
            return wait
        }
    }

    /// Stores a pulled batch durably. Pulling consumed the notifications, so storing is
    /// retried until it succeeds (or the daemon stops, when what is left is logged whole).
    private func store(_ notifications: [DocplannerNotification]) {
        var remaining = notifications
        var delay = 0.1
        while !remaining.isEmpty {
            let encoder = JSONEncoder()
            let results = inbox.enqueueAndWait(
                remaining.map { notification in
                    InboxItem(
                        body: (try? encoder.encode(notification)).map { [UInt8]($0) } ?? [], sourceAddress: "pull",
                        dedupKey: notification.identityKey, eventName: notification.name,
                        orderingKey: notification.orderingKey)
                })
            var failed: [DocplannerNotification] = []
            for (notification, result) in zip(remaining, results) {
                var metadata: Logger.Metadata = ["event": "\(notification.name)", "source": "pull"]
                if let booking = notification.event.bookingID { metadata["booking_id"] = "\(booking)" }
                switch result {
                case .success(let outcome):
                    metadata["inbox_id"] = "\(outcome.id)"
                    if outcome.isDuplicate {
                        logger.info("pulled notification already stored (duplicate)", metadata: metadata)
                    } else {
                        pulled.add(1, ordering: .relaxed)
                        logger.info("pulled notification stored", metadata: metadata)
                    }
                case .failure(let error):
                    metadata["error"] = "\(error)"
                    logger.error("cannot store a pulled notification; retrying", metadata: metadata)
                    failed.append(notification)
                }
            }
            onStored()
            remaining = failed
            guard !remaining.isEmpty else { return }
            if loop.isStopping {
                for notification in remaining {
                    let body = (try? encoder.encode(notification)) ?? Data()
                    var metadata: Logger.Metadata = ["event": "\(notification.name)"]
                    if let booking = notification.event.bookingID { metadata["booking_id"] = "\(booking)" }
                    metadata["file"] =
                        "\(spill(body, name: notification.name) ?? "none: it could not be written either")"
                    logger.critical(
                        "pulled notification could not be stored before stopping; it is kept in the file named, apply it by hand (POST it to the callback URL)",
                        metadata: metadata)
                }
                return
            }
            loop.pause(delay)
            delay = min(delay * 2, 5)
        }
    }
}
