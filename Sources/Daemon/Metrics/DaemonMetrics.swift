import DocplannerAPI
import Metrics
import Partner
import Store
import Synchronization

/// dpbridge's metrics, recorded through the swift-metrics facade. Every metric carries a
/// `tenant` label, set here and nowhere else. The names and labels are listed in docs/operating.md
/// ("Metrics"); counters are created on first use, except those initialised at zero here.
final class DaemonMetrics: Sendable {
    /// The tenant label while dpbridge serves one clinic.
    static let defaultTenant = "default"

    /// Records nothing: for parts built without metrics (tests).
    static let disabled = DaemonMetrics(factory: NOOPMetricsHandler.instance)

    let tenant: String
    private let factory: any MetricsFactory
    private let pings: Counter
    /// The series made so far, by name and label values: the factory's registry is one
    /// process-wide table behind one lock, whose lookup validates the name and hashes the
    /// labels, and whose insert copies the table. Made once, a series is found here.
    private let counters = SeriesTable<Counter>()
    private let gauges = SeriesTable<Gauge>()
    private let timers = SeriesTable<Timer>()

    init(factory: any MetricsFactory, tenant: String = DaemonMetrics.defaultTenant) {
        self.factory = factory
        self.tenant = tenant
        pings = Counter(label: Name.pings, dimensions: Self.labels(tenant, []), factory: factory)
        // Present (at zero) from the first scrape, so rate() and increase() see the first one.
        for queue in ["inbox", "outbox"] {
            for outcome in JobOutcome.allCases {
                _ = Counter(
                    label: Name.jobsProcessed,
                    dimensions: Self.labels(tenant, [("queue", queue), ("outcome", outcome.rawValue)]),
                    factory: factory)
            }
        }
    }

    enum Name {
        static let pings = "dpbridge_pings_total"
        static let lastPingAge = "dpbridge_last_ping_age_seconds"
        static let callbacksReceived = "dpbridge_callbacks_received_total"
        static let callbacksAcknowledged = "dpbridge_callbacks_acknowledged_total"
        static let callbacksRejected = "dpbridge_callbacks_rejected_total"
        static let blockingAnswerDuration = "dpbridge_blocking_answer_duration_seconds"
        static let docplannerRequests = "dpbridge_docplanner_requests_total"
        static let docplannerDuration = "dpbridge_docplanner_request_duration_seconds"
        static let rateLimitRemaining = "dpbridge_docplanner_rate_limit_remaining"
        static let rateLimitWaiting = "dpbridge_docplanner_rate_limit_waiting"
        static let partnerCalls = "dpbridge_partner_calls_total"
        static let partnerForwards = "dpbridge_partner_forwards_total"
        static let partnerForwardDuration = "dpbridge_partner_forward_duration_seconds"
        static let jobsProcessed = "dpbridge_jobs_processed_total"
        static let queueJobs = "dpbridge_queue_jobs"
        static let oldestPendingAge = "dpbridge_queue_oldest_pending_age_seconds"
        static let deadLetters = "dpbridge_dead_letters"
        static let quarantined = "dpbridge_quarantined_bodies"
        static let storeReadable = "dpbridge_store_readable"
        static let mappingResources = "dpbridge_mapping_resources"
        static let unmappedReferences = "dpbridge_unmapped_references_total"
    }

    // MARK: - Callbacks

    /// Why a request on the callback URL was not acknowledged with 2xx.
    enum Rejection: String, Sendable {
        /// 403: the source is outside the allowlist in force.
        case forbidden
        /// 503: Docplanner's address list is needed and was never loaded.
        case unverifiable
        /// 404: a wrong secret or API key.
        case unauthorized
        /// 400: the body is not a JSON object (kept in the quarantine table).
        case quarantined
        /// 503: the event could not be stored.
        case unavailable
        /// 409: a blocking question (`slot-booking`, `booking-moving`) answered with a denial.
        case denied
    }

    /// The `event` label: Docplanner's event name, `other` for a name this version does not
    /// know (so a body cannot add label values at will), `unknown` before the body is read.
    static func eventLabel(_ name: String?) -> String {
        guard let name else { return "unknown" }
        return CallbackEventName(rawValue: name) != nil ? name : "other"
    }

    /// A request on the callback URL that is not a ping (`event`: nil when the body was not read).
    func callbackReceived(event: String?) {
        count(Name.callbacksReceived, ("event", Self.eventLabel(event)))
    }

    /// Answered 2xx: the event is stored (or was already), or the booking question approved.
    func callbackAcknowledged(event: String) {
        count(Name.callbacksAcknowledged, ("event", Self.eventLabel(event)))
    }

    func callbackRejected(event: String?, reason: Rejection) {
        count(Name.callbacksRejected, ("event", Self.eventLabel(event)), ("reason", reason.rawValue))
    }

    /// Docplanner's ping on the callback URL, whatever the answer.
    func pingSeen() { pings.increment() }

    /// `DaemonHealth.pingAge`, read at each scrape; no series while no pings are expected (nil).
    func recordPingAge(_ seconds: Double?) {
        guard let seconds else { return }
        gauge(Name.lastPingAge, seconds)
    }

    /// A blocking question (`slot-booking`, `booking-moving`) answered: by `answer`
    /// (`approved` or `denied`, a missed deadline being a denial), timed from the body
    /// read to the answer handed to the connection.
    func blockingAnswered(event: String, approved: Bool, elapsed: Duration) {
        time(
            Name.blockingAnswerDuration, elapsed, ("event", Self.eventLabel(event)),
            ("answer", approved ? "approved" : "denied"))
    }

    // MARK: - Docplanner API

    /// For `DocplannerClient(observer:)`.
    var docplannerObserver: DocplannerCallObserver { { [self] in docplannerCall($0) } }

    /// One request to Docplanner: counted by operation and status (`error`: no answer), timed by operation.
    func docplannerCall(_ call: DocplannerCall) {
        count(
            Name.docplannerRequests, ("operation", call.operation), ("status", call.status.map(String.init) ?? "error"))
        time(Name.docplannerDuration, call.duration, ("operation", call.operation))
    }

    /// What the client-side limiter has left: writes in the current minute, reads in the hour.
    func recordRateLimits(_ limiter: RateLimiter) {
        for kind in RequestKind.allCases {
            gauge(Name.rateLimitRemaining, Double(limiter.remaining(kind)), ("kind", kind.rawValue))
            gauge(Name.rateLimitWaiting, Double(limiter.waiting(kind)), ("kind", kind.rawValue))
        }
    }

    // MARK: - Partner system

    /// One call into the partner adapter; `outcome` is `ok`, `unavailable` or `rejected`.
    func partnerCall(adapter: String, operation: String, outcome: String) {
        count(Name.partnerCalls, ("adapter", adapter), ("operation", operation), ("outcome", outcome))
    }

    /// For `PartnerForwarder(observer:)`.
    var partnerForwardObserver: @Sendable (PartnerForwarder.Attempt) -> Void { { [self] in partnerForward($0) } }

    /// One POST to the partner endpoint (HTTP adapter), by status (`error`: no answer), timed.
    func partnerForward(_ attempt: PartnerForwarder.Attempt) {
        count(Name.partnerForwards, ("status", attempt.status.map(String.init) ?? "error"))
        time(Name.partnerForwardDuration, attempt.duration)
    }

    // MARK: - Jobs and the store

    /// For `Store(outcomeObserver:)`.
    var jobOutcomeObserver: JobOutcomeObserver {
        { [self] queue, outcome in jobFinished(queue: queue, outcome: outcome) }
    }

    func jobFinished(queue: String, outcome: JobOutcome) {
        count(Name.jobsProcessed, ("queue", queue), ("outcome", outcome.rawValue))
    }

    /// The queues' depths as the store counts them now; nil when it could not be read (the
    /// depths keep their last values and `dpbridge_store_readable` drops to 0).
    func recordStore(_ counts: StoreCounts?) {
        gauge(Name.storeReadable, counts == nil ? 0 : 1)
        guard let counts else { return }
        for (name, queue) in [("inbox", counts.inbox), ("outbox", counts.outbox)] {
            gauge(Name.queueJobs, Double(queue.pending), ("queue", name), ("state", "pending"))
            gauge(Name.queueJobs, Double(queue.retrying), ("queue", name), ("state", "retrying"))
            gauge(Name.queueJobs, Double(queue.inFlight), ("queue", name), ("state", "in_flight"))
            gauge(Name.oldestPendingAge, queue.oldestPendingAgeSeconds, ("queue", name))
            gauge(Name.deadLetters, Double(queue.dead), ("queue", name))
        }
        gauge(Name.quarantined, Double(counts.quarantined))
    }

    // MARK: - Mappings

    /// The mapping counts as the store has them now (nothing when it could not be read).
    func recordMappings(_ summary: MappingSummary?) {
        guard let summary else { return }
        gauge(Name.mappingResources, Double(summary.mapped), ("state", "mapped"))
        gauge(Name.mappingResources, Double(summary.unmapped), ("state", "unmapped"))
        gauge(Name.mappingResources, Double(summary.vanishedMapped), ("state", "vanished_mapped"))
    }

    /// An applied event named a Docplanner id that is not mapped (`UnmappedReferences`).
    func unmappedReference(kind: ResourceKind) {
        count(Name.unmappedReferences, ("kind", kind.rawValue))
    }

    // MARK: - Plumbing

    /// `tenant` first, then `extra`: the one place the tenant label is added.
    private static func labels(_ tenant: String, _ extra: [(String, String)]) -> [(String, String)] {
        [("tenant", tenant)] + extra
    }

    private func count(_ name: String, _ extra: (String, String)...) {
        counters.handle(name, extra) { Counter(label: name, dimensions: Self.labels(tenant, $0), factory: factory) }
            .increment()
    }

    private func gauge(_ name: String, _ value: Double, _ extra: (String, String)...) {
        gauges.handle(name, extra) { Gauge(label: name, dimensions: Self.labels(tenant, $0), factory: factory) }
            .record(value)
    }

    private func time(_ name: String, _ duration: Duration, _ extra: (String, String)...) {
        let (seconds, attoseconds) = duration.components
        timers.handle(name, extra) { Timer(label: name, dimensions: Self.labels(tenant, $0), factory: factory) }
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// The series of one kind (counters, gauges or timers) made so far, by name and label
/// values. Each callback counts several: one table per kind, reached directly (a key path
/// into one table of tables cost more than the rest of the count).
private final class SeriesTable<Handle: Sendable>: Sendable {
    private struct Key: Hashable {
        let name: String
        let labels: [String]
    }

    private let made = Mutex<[Key: Handle]>([:])

    /// The series `name` with `extra`'s values, made by `make` (given `extra`) the first time.
    func handle(_ name: String, _ extra: [(String, String)], make: ([(String, String)]) -> Handle) -> Handle {
        let key = Key(name: name, labels: extra.map { $0.1 })
        return made.withLock { made in
            if let found = made[key] { return found }
            let handle = make(extra)
            made[key] = handle
            return handle
        }
    }
}
