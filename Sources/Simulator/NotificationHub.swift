import DocplannerAPI
import Foundation
import Logging

/// Where the simulator's events go: POSTed to the callback URL (PUSH), queued for
/// `GET /notifications` (PULL), or both. A push not accepted (2xx) is re-sent after 1, 5 and
/// 15 minutes and then waits for a release (`PushRedelivery`). Blocking events
/// (`slot-booking`, `booking-moving`) are only asked, never queued nor re-sent.
final class NotificationHub: Sendable {
    /// The partner's answer to a blocking callback.
    struct Verdict: Sendable {
        var approved: Bool
        /// Nil when nobody was asked (no callback URL, or real-time booking off).
        var status: Int?
        /// The refusal's `error_code`, as the JSON value it was (see `CallbackDispatcher.Outcome`).
        var errorCode: JSONValue?
        var error: String?
    }

    let mode: SimulatorConfiguration.NotificationMode
    let dispatcher: CallbackDispatcher?
    let queue = PullQueue()
    let redelivery: PushRedelivery
    private let realTime: Bool
    private let blockingTimeout: Duration
    private let logger: Logger

    init(configuration: SimulatorConfiguration, dispatcher: CallbackDispatcher?, logger: Logger) {
        mode = configuration.mode
        self.dispatcher = dispatcher
        redelivery = PushRedelivery(interval: configuration.releaseInterval)
        realTime = configuration.realTimeBooking
        blockingTimeout = configuration.blockingTimeout
        self.logger = logger
    }

    /// Hands a non-blocking event on (push and/or queue); blocks while pushing.
    func publish(_ notification: DocplannerNotification, now: Double) {
        let body = Self.encode(notification)
        if mode.queues { queue.append(body, now: now) }
        guard mode.pushes, let dispatcher else { return }
        let outcome = dispatcher.post(body, name: notification.name, blocking: false, now: now)
        if !outcome.succeeded { redelivery.failed(body, name: notification.name, now: now) }
    }

    /// Re-sends the failed pushes due at `now`; those refused again wait for the next delay
    /// or, after the third re-send, for a release.
    func redeliverDue(now: Double) {
        guard let dispatcher else { return }
        for push in redelivery.takeDue(now: now) {
            let outcome = dispatcher.post(push.body, name: push.name, blocking: false, redelivery: true, now: now)
            if !outcome.succeeded { redelivery.failedAgain(push, now: now) }
        }
    }

    /// Asks the partner about a blocking event: 2xx approves, anything else denies.
    /// Approved without asking when there is no callback URL or real-time booking is off.
    func ask(_ notification: DocplannerNotification, now: Double) -> Verdict {
        guard realTime, mode.pushes, let dispatcher else { return Verdict(approved: true) }
        let outcome = dispatcher.post(
            Self.encode(notification), name: notification.name, blocking: true, timeout: blockingTimeout, now: now)
        return Verdict(
            approved: outcome.succeeded, status: outcome.status, errorCode: outcome.errorCode, error: outcome.error)
    }

    /// `POST /notifications/release`: 403 unless pushing, 429 within the interval, else
    /// the kept pushes are sent again by `resend` (on the caller's choice of thread).
    func release(now: Double) -> (PushRedelivery.Release?, [PushRedelivery.Failed]) {
        guard mode.pushes else { return (nil, []) }
        return redelivery.release(now: now)
    }

    /// Sends released pushes again; those refused again are kept for the next release.
    func resend(_ pushes: [PushRedelivery.Failed], now: () -> Double) {
        guard let dispatcher else { return }
        for push in pushes {
            let outcome = dispatcher.post(push.body, name: push.name, blocking: false, redelivery: true, now: now())
            if !outcome.succeeded { redelivery.add(push.body, name: push.name, failedAt: push.failedAt) }
        }
        logger.info("released notifications re-sent", metadata: ["event": "release", "count": "\(pushes.count)"])
    }

    static func encode(_ notification: DocplannerNotification) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(notification)) ?? Data("{}".utf8)
    }
}
