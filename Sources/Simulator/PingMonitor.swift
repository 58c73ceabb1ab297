import DocplannerAPI
import Foundation
import Logging
import Synchronization

/// Docplanner's monitoring of the callback URL: a ping every `interval` seconds (on the
/// simulator's clock); any answer but 5xx is alive; `threshold` failures in a row raise an
/// alert (logged, and shown in the snapshot) until a ping succeeds again.
final class PingMonitor: Sendable {
    struct Status: Sendable {
        var sent = 0
        var failed = 0
        var consecutiveFailures = 0
        /// The longest run of failures in a row since the start.
        var mostConsecutiveFailures = 0
        var alertRaised = false
        var alerts = 0
        var lastStatus: Int?
        var lastError: String?
        var lastAt: Double?
    }

    private let dispatcher: CallbackDispatcher
    private let interval: Double?
    private let threshold: Int
    private let clock: any DocplannerClock
    private let logger: Logger
    private let status = Mutex(Status())
    private let running = Atomic<Bool>(false)
    private let wakeup = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    init(dispatcher: CallbackDispatcher, interval: Double?, threshold: Int, clock: any DocplannerClock, logger: Logger)
    {
        self.dispatcher = dispatcher
        self.interval = interval
        self.threshold = max(1, threshold)
        self.clock = clock
        self.logger = logger
    }

    var current: Status { status.withLock { $0 } }

    /// Starts the periodic pings (none when no interval is set).
    func start() {
        guard let interval, interval > 0 else { return }
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        // The first deadline is taken now, not when the thread gets to run.
        let first = clock.now() + interval
        Thread.detachNewThread { [self] in
            var next = first
            while running.load(ordering: .acquiring) {
                wakeup.lock()
                while running.load(ordering: .acquiring) && clock.now() < next {
                    clock.wait(on: wakeup, until: next)
                }
                wakeup.unlock()
                guard running.load(ordering: .acquiring) else { break }
                ping()
                next = max(next + interval, clock.now())
            }
            finished.signal()
        }
    }

    /// Stops the periodic pings and waits for a ping in flight.
    func stop() {
        guard running.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
        finished.wait()
    }

    /// Pings once now; returns whether the endpoint is alive.
    @discardableResult
    func ping() -> Bool {
        let outcome = dispatcher.ping()
        let now = clock.now()
        let alive = outcome.alive
        let (raise, recovered, failures) = status.withLock { status -> (Bool, Bool, Int) in
            status.sent += 1
            status.lastStatus = outcome.status
            status.lastError = outcome.error
            status.lastAt = now
            if alive {
                let recovered = status.alertRaised
                status.consecutiveFailures = 0
                status.alertRaised = false
                return (false, recovered, 0)
            }
            status.failed += 1
            status.consecutiveFailures += 1
            status.mostConsecutiveFailures = max(status.mostConsecutiveFailures, status.consecutiveFailures)
            if status.consecutiveFailures >= threshold && !status.alertRaised {
                status.alertRaised = true
                status.alerts += 1
                return (true, false, status.consecutiveFailures)
            }
            return (false, false, status.consecutiveFailures)
        }
        var metadata: Logger.Metadata = ["event": "ping", "url": "\(dispatcher.url)", "alive": "\(alive)"]
        if let code = outcome.status { metadata["status"] = "\(code)" }
        if let error = outcome.error { metadata["error"] = "\(error)" }
        if raise {
            metadata["consecutive_failures"] = "\(failures)"
            logger.error("callback URL failed \(failures) pings in a row: alert raised", metadata: metadata)
        } else if recovered {
            logger.notice("callback URL answers pings again: alert cleared", metadata: metadata)
        } else if alive {
            logger.debug("ping answered", metadata: metadata)
        } else {
            logger.warning("ping failed", metadata: metadata)
        }
        return alive
    }
}
