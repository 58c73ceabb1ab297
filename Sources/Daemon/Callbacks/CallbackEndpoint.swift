import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Store
import Sync

/// The public callback URL, `/callbacks/<secret>`: answers Docplanner's pings, and
/// stores each event in the inbox before answering 2xx, so an acknowledged event
/// survives any crash. Sources outside the allowlist in force are refused first.
/// A class, so the route closures share one instance instead of copying its fields.
final class CallbackEndpoint: Sendable {
    let secret: Secret
    let apiKeyHeader: String
    let apiKey: Secret?
    let store: Store
    let health: DaemonHealth
    let logger: Logger
    /// Refused requests are logged a few a minute at most (a flood would drown the journal).
    let refusals = LogThrottle()
    /// Called after a new event is committed (wakes an inbound worker).
    let onStored: @Sendable () -> Void
    /// Where each stored event's decoded body waits for the inbound worker.
    let decoded: DecodedNotifications?
    /// Answers `slot-booking` / `booking-moving`; without one (no partner calendar to ask)
    /// they are stored like other events and approved.
    let answerer: BlockingAnswerer?
    /// Who may post, and who the client behind a proxy is.
    let sources: CallbackSourcePolicy
    /// Counts pings, and callbacks received, acknowledged and rejected.
    let metrics: DaemonMetrics

    init(
        secret: Secret, apiKeyHeader: String, apiKey: Secret?, store: Store, health: DaemonHealth, logger: Logger,
        sources: CallbackSourcePolicy = CallbackSourcePolicy(), answerer: BlockingAnswerer? = nil,
        metrics: DaemonMetrics = .disabled, decoded: DecodedNotifications? = nil,
        onStored: @escaping @Sendable () -> Void = {}
    ) {
        self.decoded = decoded
        self.sources = sources
        self.metrics = metrics
        self.onStored = onStored
        self.answerer = answerer
        self.secret = secret
        self.apiKeyHeader = apiKeyHeader
        self.apiKey = apiKey
        self.store = store
        self.health = health
        self.logger = logger
    }

    /// Registers this endpoint alone (tests); the daemon routes every tenant's callback
    /// URL through one `CallbackRouting`.
    func register(on router: inout Router) {
        CallbackRouting([self]).register(on: &router)
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder, authenticatedPath: Bool) {
        guard let source = admittedSource(request, responder) else { return }
        guard authenticatedPath, authorized(request) else {
            metrics.callbackReceived(event: nil)
            metrics.callbackRejected(event: nil, reason: .unauthorized)
            logRefusal(
                .warning, "callback refused: wrong secret or API key",
                ["event": "callback-refused", "source": "\(request.remoteAddress)"])
            responder.respond(JSONResponses.error(status: 404, "not found"))
            return
        }
        // Pings first: most of what arrives, and the classification of an event is a large value.
        if CallbackClassifier.isPing(method: request.method, body: request.body) {
            answerPing(request, responder)
            return
        }
        switch CallbackClassifier.classify(method: request.method, body: request.body) {
        case .ping:
            answerPing(request, responder)
        case .unparseable(let reason):
            metrics.callbackReceived(event: nil)
            metrics.callbackRejected(event: nil, reason: .quarantined)
            quarantine(request, source: source.text, reason: reason, responder: responder)
        case .event(let name, let dedupKey, let orderingKey, let fields, let notification):
            // Also while draining: the store stays open until the listeners have finished
            // the requests they had, so an event that arrived before the stop is kept.
            metrics.callbackReceived(event: name)
            if health.hasStoreTrouble {
                // A full disk: refused before it can fail half-way; Docplanner sends again.
                metrics.callbackRejected(event: name, reason: .unavailable)
                responder.respond(Self.storeUnwritable)
                return
            }
            enqueue(
                request, source: source.text, name: name, dedupKey: dedupKey, orderingKey: orderingKey, fields: fields,
                notification: notification, responder: responder)
        case .question(let notification):
            metrics.callbackReceived(event: notification.name)
            if let answerer {
                answerer.answer(notification, responder: responder)
            } else {
                let place = notification.event.place
                let fields = CallbackClassification.EventFields(
                    bookingID: nil, doctorID: place.doctor?.id, addressID: place.address?.id,
                    facilityID: place.facility?.id)
                enqueue(
                    request, source: source.text, name: notification.name, dedupKey: notification.identityKey,
                    orderingKey: notification.orderingKey, fields: fields, notification: notification,
                    responder: responder)
            }
        }
    }

    private func answerPing(_ request: HTTPRequest, _ responder: HTTPResponder) {
        // `dpbridge activate` checks the URL answers; that is not Docplanner's ping.
        if request.headers[CallbackReadiness.selfCheckHeader] == nil {
            // Kept in the store too (without waiting, at most every 30 s, and at stop),
            // so `dpbridge status` shows it while the daemon is stopped.
            health.recordPing()
            health.keepPing(in: store.values)
            metrics.pingSeen()
        }
        if health.canAcceptEvents {
            responder.respond(Self.pingOK)
        } else {
            let reason = health.isShuttingDown ? "shutting down" : "store not writable"
            responder.respond(JSONResponses.object(status: 503, ["status": "unavailable", "reason": reason]))
        }
    }

    /// Docplanner pings every 5 minutes and monitors pings with its own timeout:
    /// the answer is prepared once.
    static let pingOK = JSONResponses.object(status: 200, ["status": "ok"])

    /// The client of an admitted request. Its text is made only when an event or a body is
    /// stored with it: pings, most of what arrives, need none.
    struct AdmittedSource {
        /// The client's address when resolved through `callback.trusted_proxies` or checked
        /// against an allowlist; nil when the peer's own text stands.
        let address: IPAddress?
        let peer: String

        /// The client's address as stored with the event.
        var text: String { address.map { "\($0)" } ?? peer }
    }

    /// The client of `request`, or nil when its source may not post (then answered here:
    /// 403, or 503 while Docplanner's list is missing). The path is not logged: it may
    /// hold the secret.
    private func admittedSource(_ request: HTTPRequest, _ responder: HTTPResponder) -> AdmittedSource? {
        guard sources.isEnforced || !sources.resolver.trustedProxies.isEmpty else {
            return AdmittedSource(address: nil, peer: request.remoteAddress)
        }
        let source = sources.source(peer: request.remoteAddress, headers: request.headers)
        let decision = sources.decide(source)
        guard decision != .allowed else { return AdmittedSource(address: source.address, peer: request.remoteAddress) }
        let sourceText = source.description
        var metadata: Logger.Metadata = ["source": "\(sourceText)", "method": "\(request.method)"]
        if sourceText != request.remoteAddress { metadata["peer"] = "\(request.remoteAddress)" }
        metrics.callbackReceived(event: nil)
        if decision == .forbidden {
            metrics.callbackRejected(event: nil, reason: .forbidden)
            metadata["event"] = "callback-forbidden"
            logRefusal(.warning, "callback refused: source address not allowed", metadata)
            responder.respond(Self.forbidden)
        } else {
            metrics.callbackRejected(event: nil, reason: .unverifiable)
            metadata["event"] = "callback-unverifiable"
            logRefusal(
                .error,
                "callback refused with 503: source outside callback.allowlist, Docplanner's address list never loaded",
                metadata)
            responder.respond(Self.unverifiable)
        }
        return nil
    }

    /// Logs a refused request, a few a key per interval (`LogThrottle`): a flood of them
    /// would drown the journal; the lines let through say how many were held back.
    private func logRefusal(_ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata) {
        let key = metadata["event"].map { "\($0)" } ?? "\(message)"
        let (log, suppressed) = refusals.admit(key)
        guard log else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["suppressed_before"] = "\(suppressed)" }
        logger.log(level: level, message, metadata: metadata)
    }

    static let forbidden = JSONResponses.error(status: 403, "this source address may not post callbacks")
    static let storeUnwritable = JSONResponses.object(
        status: 503, ["error": "cannot store the event now", "reason": "store not writable"])
    static let unverifiable = JSONResponses.object(
        status: 503,
        [
            "error": "cannot verify the source address",
            "reason": "Docplanner's published address list (callback.use_docplanner_ips) could not be loaded yet",
        ])

    /// The path secret was checked by the route; the API key, when configured, here.
    private func authorized(_ request: HTTPRequest) -> Bool {
        if let apiKey, !apiKeyHeader.isEmpty {
            guard let value = request.headers[apiKeyHeader], ConstantTime.equal(value, apiKey.value) else {
                return false
            }
        }
        return true
    }

    /// The answer to a stored event, prepared once.
    static let stored = JSONResponses.object(status: 200, ["status": "stored"])

    private func enqueue(
        _ request: HTTPRequest, source: String, name: String, dedupKey: String, orderingKey: String,
        fields: CallbackClassification.EventFields, notification: DocplannerNotification, responder: HTTPResponder
    ) {
        let received = SteadyClock().date()
        // Put together only for a line the log level lets through.
        @Sendable func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
            var metadata: Logger.Metadata = ["event": "\(name)"]
            if let id = fields.bookingID { metadata["booking_id"] = "\(id)" }
            if let id = fields.doctorID { metadata["doctor_id"] = "\(id)" }
            if let id = fields.addressID { metadata["address_id"] = "\(id)" }
            if let id = fields.facilityID { metadata["facility_id"] = "\(id)" }
            metadata.merge(extra) { $1 }
            return metadata
        }
        let item = InboxItem(
            body: request.body, receivedAt: received, sourceAddress: source, dedupKey: dedupKey,
            eventName: name, orderingKey: orderingKey)
        store.inbox.enqueue(item) { [health, logger, onStored, metrics, decoded] result in
            switch result {
            case .success(let outcome):
                health.recordStoreResult(success: true)
                func stored() -> Logger.Metadata {
                    metadata([
                        "inbox_id": "\(outcome.id)",
                        "latency_ms": "\(Int(SteadyClock().date().timeIntervalSince(received) * 1000))",
                    ])
                }
                if outcome.isDuplicate {
                    logger.info("callback already stored (duplicate)", metadata: stored())
                } else {
                    decoded?.keep(notification, id: outcome.id)
                    onStored()
                    // The event's line at info is the inbound worker's, once it is applied.
                    logger.debug("callback stored", metadata: stored())
                }
                metrics.callbackAcknowledged(event: name)
                responder.respond(Self.stored)
            case .failure(let error):
                health.recordStoreResult(success: false)
                metrics.callbackRejected(event: name, reason: .unavailable)
                logger.error("callback could not be stored", metadata: metadata(["error": "\(error)"]))
                responder.respond(JSONResponses.error(status: 503, "cannot store the event now"))
            }
        }
    }

    private func quarantine(_ request: HTTPRequest, source: String, reason: String, responder: HTTPResponder) {
        store.quarantine.add(body: request.body, reason: reason, sourceAddress: source) { [self] result in
            if case .failure = result { health.recordStoreResult(success: false) }
            if case .failure(let error) = result {
                logger.error("unparseable callback could not be quarantined", metadata: ["error": "\(error)"])
            } else {
                logRefusal(
                    .warning, "unparseable callback quarantined",
                    ["event": "callback-quarantined", "reason": "\(reason)", "bytes": "\(request.body.count)"])
            }
            responder.respond(JSONResponses.error(status: 400, reason))
        }
    }
}
