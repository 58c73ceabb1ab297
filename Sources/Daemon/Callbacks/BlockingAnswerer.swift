import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Store
import Sync
import Synchronization

/// Answers Docplanner's blocking questions (`slot-booking`, `booking-moving`) within the
/// configured deadline: 200 approves; a denial is a 400 (the document's denial answer)
/// with a JSON body `{"error_code": …, "reason": …}`: Docplanner turns a configured
/// `error_code` into a message for the patient; without one, only the reason goes. A decision not made by the deadline
/// (the clinic calendar locked or slow) is answered as a denial, never left to
/// Docplanner's own timeout. Every answer is recorded in the store and logged.
final class BlockingAnswerer: Sendable {
    let decider: BookingDecider
    let deadline: Duration
    let unavailableCode: String?
    let store: Store
    let logger: Logger
    /// Counts approvals as acknowledged callbacks, denials as rejected (`denied`), and times
    /// every answer (`dpbridge_blocking_answer_duration_seconds`).
    let metrics: DaemonMetrics
    private let queue = DispatchQueue(label: "dpbridge.blocking-decisions", attributes: .concurrent)

    init(
        decider: BookingDecider, deadline: Duration, unavailableCode: String?, store: Store, logger: Logger,
        metrics: DaemonMetrics = .disabled
    ) {
        self.metrics = metrics
        self.decider = decider
        self.deadline = deadline
        self.unavailableCode = unavailableCode
        self.store = store
        self.logger = logger
    }

    /// Decides off the event loop; answers exactly once, by the deadline at the latest.
    func answer(_ notification: DocplannerNotification, responder: HTTPResponder) {
        let received = ContinuousClock.now
        let once = AnswerOnce()
        queue.async { [self] in
            let decision = decider.decide(notification)
            if once.claim() {
                finish(notification, decision, received: received, responder: responder)
            } else {
                logger.warning(
                    "blocking decision came after the deadline; the denial already sent stands",
                    metadata: ["event": "decision-late", "callback_event": "\(notification.name)"])
            }
        }
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
        queue.asyncAfter(deadline: .now() + seconds) { [self] in
            guard once.claim() else { return }
            let reason = "no decision within \(deadline) (the clinic calendar is busy or locked)"
            finish(notification, .deny(code: unavailableCode, reason: reason), received: received, responder: responder)
        }
    }

    private func finish(
        _ notification: DocplannerNotification, _ decision: BookingDecider.Decision, received: ContinuousClock.Instant,
        responder: HTTPResponder
    ) {
        let elapsed = ContinuousClock.now - received
        let place = notification.event.place
        let request: VisitBookingRequest? =
            switch notification.event {
            case .slotBooking(let data): data.visitBookingRequest
            case .bookingMoving(let data): data.creatingBooking
            default: nil
            }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let approved: Bool
        let code: String?
        let reason: String
        switch decision {
        case .approve:
            (approved, code, reason) = (true, nil, "the time is free in the clinic calendar")
        case .deny(let denial, let why):
            (approved, code, reason) = (false, denial, why)
        }
        let record = DecisionRecord(
            decidedAt: SteadyClock().date(), eventName: notification.name, eventKey: notification.identityKey,
            doctorID: place.doctor?.id, addressID: place.address?.id, startAt: request?.startAt?.text,
            approved: approved, errorCode: code, reason: reason, elapsedMilliseconds: milliseconds)
        var metadata: Logger.Metadata = [
            "event": "\(approved ? "decision-approved" : "decision-denied")",
            "callback_event": "\(notification.name)", "reason": "\(reason)",
            "latency_ms": "\(String(format: "%.1f", milliseconds))",
        ]
        if let id = place.doctor?.id { metadata["doctor_id"] = "\(id)" }
        if let id = place.address?.id { metadata["address_id"] = "\(id)" }
        if let start = request?.startAt?.text { metadata["start_at"] = "\(start)" }
        if let code { metadata["error_code"] = "\(code)" }
        let response =
            approved
            ? JSONResponses.object(status: 200, ["status": "approved"])
            : Self.denial(code: code, reason: reason)
        let fields = metadata
        let name = notification.name
        if approved {
            metrics.callbackAcknowledged(event: notification.name)
        } else {
            metrics.callbackRejected(event: notification.name, reason: .denied)
        }
        store.decisions.record(record) { [logger, metrics] result in
            var metadata = fields
            if case .failure(let error) = result { metadata["store_error"] = "\(error)" }
            if approved {
                logger.info("booking question approved", metadata: metadata)
            } else {
                logger.notice("booking question denied", metadata: metadata)
            }
            // Counted before it goes, so a scrape after the answer always sees it.
            metrics.blockingAnswered(event: name, approved: approved, elapsed: ContinuousClock.now - received)
            responder.respond(response)
        }
    }
}

extension BlockingAnswerer {
    /// The denial: 400 with the configured `error_code` in its JSON type (digits are a
    /// number, as Docplanner's dictionary numbers its codes) and the reason.
    static func denial(code: String?, reason: String) -> HTTPResponse {
        var body: JSONObject = ["reason": .string(reason)]
        if let code {
            body["error_code"] = code.allSatisfy(\.isASCII) && Int64(code) != nil ? .int(Int64(code)!) : .string(code)
        }
        return JSONResponses.json(status: 400, .object(body))
    }
}

/// Lets the decision and the deadline race; the first to claim answers.
private final class AnswerOnce: Sendable {
    private let taken = Atomic<Bool>(false)
    func claim() -> Bool {
        taken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
