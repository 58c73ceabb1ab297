import DocplannerAPI
import Foundation
import Partner
import Prometheus
import TestSupport
import Testing

@testable import Daemon
@testable import Store

/// What the daemon's metrics look like once rendered in Prometheus' text format, each test
/// on its own registry (the process-wide one is bootstrapped only by `dpbridge run`).
@Suite struct DaemonMetricsTests {
    let registry = PrometheusCollectorRegistry()
    var metrics: DaemonMetrics { DaemonMetrics(factory: MetricsBackend.makeFactory(registry: registry)) }

    /// The value of the sample `name` whose labels include all of `labels`, nil if none.
    func sample(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let text = registry.emitToString()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let value = Double(line[line.index(after: space)...])
            let seriesName = series.prefix { $0 != "{" }
            guard seriesName == name else { continue }
            var found: [String: String] = [:]
            if let open = series.firstIndex(of: "{") {
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)]
                    .split(separator: ",")
                {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    found[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            if labels.allSatisfy({ found[$0.key] == $0.value }) { return value }
        }
        return nil
    }

    @Test func docplannerCallsAreCountedByOperationAndStatusAndTimed() {
        let metrics = metrics
        let observe = metrics.docplannerObserver
        observe(DocplannerCall(operation: "bookSlot", status: 201, duration: .milliseconds(30)))
        observe(DocplannerCall(operation: "bookSlot", status: 201, duration: .milliseconds(70)))
        observe(DocplannerCall(operation: "bookSlot", status: 409, duration: .milliseconds(20)))
        observe(DocplannerCall(operation: "replaceSlots", status: nil, duration: .seconds(12)))

        let requests = "dpbridge_docplanner_requests_total"
        #expect(sample(requests, ["operation": "bookSlot", "status": "201", "tenant": "default"]) == 2)
        #expect(sample(requests, ["operation": "bookSlot", "status": "409"]) == 1)
        #expect(sample(requests, ["operation": "replaceSlots", "status": "error"]) == 1)
        #expect(sample(requests, ["operation": "replaceSlots", "status": "201"]) == nil)

        let duration = "dpbridge_docplanner_request_duration_seconds"
        #expect(sample(duration + "_count", ["operation": "bookSlot"]) == 3)
        #expect(abs((sample(duration + "_sum", ["operation": "bookSlot"]) ?? 0) - 0.12) < 1e-9)
        #expect(sample(duration + "_bucket", ["operation": "bookSlot", "le": "0.025"]) == 1)
        #expect(sample(duration + "_bucket", ["operation": "bookSlot", "le": "0.1"]) == 3)
        #expect(sample(duration + "_bucket", ["operation": "replaceSlots", "le": "10.0"]) == 0)
        #expect(sample(duration + "_bucket", ["operation": "replaceSlots", "le": "30.0"]) == 1)
    }

    @Test func everySeriesCarriesTheTenantLabel() {
        let metrics = DaemonMetrics(factory: MetricsBackend.makeFactory(registry: registry), tenant: "clinic-7")
        metrics.pingSeen()
        metrics.callbackReceived(event: "slot-booked")
        metrics.callbackRejected(event: nil, reason: .forbidden)
        metrics.docplannerCall(DocplannerCall(operation: "getSlots", status: 200, duration: .milliseconds(5)))
        metrics.recordStore(StoreCounts())
        metrics.recordRateLimits(RateLimiter(clock: TestClock()))
        let series = registry.emitToString().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(series.count > 20)
        for line in series {
            #expect(line.contains("tenant=\"clinic-7\""), "\(line)")
        }
    }

    @Test func callbackEventLabelsAreBounded() {
        let metrics = metrics
        metrics.callbackReceived(event: "booking-canceled")
        metrics.callbackReceived(event: "made-up-by-anyone")
        metrics.callbackReceived(event: nil)
        metrics.callbackRejected(event: "slot-booking", reason: .denied)
        let received = "dpbridge_callbacks_received_total"
        #expect(sample(received, ["event": "booking-canceled"]) == 1)
        #expect(sample(received, ["event": "other"]) == 1)
        #expect(sample(received, ["event": "unknown"]) == 1)
        #expect(sample(received, ["event": "made-up-by-anyone"]) == nil)
        #expect(sample("dpbridge_callbacks_rejected_total", ["event": "slot-booking", "reason": "denied"]) == 1)
    }

    @Test func storeCountsAndRateLimitsBecomeGauges() {
        let metrics = metrics
        var counts = StoreCounts()
        counts.inbox.pending = 3
        counts.inbox.retrying = 2
        counts.inbox.oldestPendingAgeSeconds = 42.5
        counts.outbox.inFlight = 1
        counts.outbox.dead = 4
        counts.quarantined = 6
        metrics.recordStore(counts)
        #expect(sample("dpbridge_queue_jobs", ["queue": "inbox", "state": "pending"]) == 3)
        #expect(sample("dpbridge_queue_jobs", ["queue": "inbox", "state": "retrying"]) == 2)
        #expect(sample("dpbridge_queue_jobs", ["queue": "outbox", "state": "in_flight"]) == 1)
        #expect(sample("dpbridge_queue_oldest_pending_age_seconds", ["queue": "inbox"]) == 42.5)
        #expect(sample("dpbridge_dead_letters", ["queue": "outbox"]) == 4)
        #expect(sample("dpbridge_quarantined_bodies") == 6)
        #expect(sample("dpbridge_store_readable") == 1)
        metrics.recordStore(nil)
        #expect(sample("dpbridge_store_readable") == 0)
        #expect(
            sample("dpbridge_queue_jobs", ["queue": "inbox", "state": "pending"]) == 3, "the last known depth stays")

        let clock = TestClock()
        let limiter = RateLimiter(
            policy: RateLimitPolicy(reads: .init(limit: 100, period: 3600), writes: .init(limit: 40, period: 60)),
            clock: clock)
        for _ in 0..<3 { limiter.acquire(.write) }
        limiter.acquire(.read)
        metrics.recordRateLimits(limiter)
        #expect(sample("dpbridge_docplanner_rate_limit_remaining", ["kind": "write"]) == 37)
        #expect(sample("dpbridge_docplanner_rate_limit_remaining", ["kind": "read"]) == 99)
        #expect(sample("dpbridge_docplanner_rate_limit_waiting", ["kind": "write"]) == 0)
    }

    /// The ping age is read at each scrape: from the last ping since start, or from the start
    /// (a ping kept from before a restart does not count), and absent in PULL mode.
    @Test func pingAgeIsReadAtEachScrape() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-ping-age")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        let limiter = RateLimiter(clock: TestClock())
        let health = DaemonHealth(pingSilenceLimit: 900, lastPingBeforeStart: Date().addingTimeInterval(-7200))
        let endpoint = MetricsEndpoint(metrics: metrics, store: store, limiter: limiter, health: health)
        let age = "dpbridge_last_ping_age_seconds"

        endpoint.refresh(now: health.startedAt.addingTimeInterval(120))
        #expect(sample(age, ["tenant": "default"]).map { abs($0 - 120) < 0.001 } == true, "\(registry.emitToString())")
        let pinged = health.recordPing()
        endpoint.refresh(now: pinged.addingTimeInterval(42.5))
        #expect(sample(age).map { abs($0 - 42.5) < 0.001 } == true, "\(registry.emitToString())")
        endpoint.refresh(now: pinged.addingTimeInterval(1000))
        #expect(sample(age).map { abs($0 - 1000) < 0.001 } == true)

        let pullRegistry = PrometheusCollectorRegistry()
        MetricsEndpoint(
            metrics: DaemonMetrics(factory: MetricsBackend.makeFactory(registry: pullRegistry)), store: store,
            limiter: limiter, health: DaemonHealth(pingSilenceLimit: nil)
        ).refresh()
        let pull = pullRegistry.emitToString()
        #expect(pull.contains("dpbridge_store_readable"), "\(pull)")
        #expect(!pull.contains(age), "\(pull)")
    }

    @Test func blockingAnswersAreTimedByResult() {
        let metrics = metrics
        metrics.blockingAnswered(event: "slot-booking", approved: true, elapsed: .milliseconds(3))
        metrics.blockingAnswered(event: "slot-booking", approved: true, elapsed: .milliseconds(40))
        metrics.blockingAnswered(event: "booking-moving", approved: false, elapsed: .milliseconds(2010))
        metrics.blockingAnswered(event: "invented", approved: false, elapsed: .milliseconds(1))
        let answers = "dpbridge_blocking_answer_duration_seconds"
        #expect(sample(answers + "_count", ["event": "slot-booking", "answer": "approved"]) == 2)
        #expect(sample(answers + "_bucket", ["event": "slot-booking", "answer": "approved", "le": "0.005"]) == 1)
        #expect(sample(answers + "_bucket", ["event": "slot-booking", "answer": "approved", "le": "0.05"]) == 2)
        #expect(abs((sample(answers + "_sum", ["event": "slot-booking", "answer": "approved"]) ?? 0) - 0.043) < 1e-9)
        #expect(sample(answers + "_count", ["event": "booking-moving", "answer": "denied"]) == 1)
        #expect(sample(answers + "_bucket", ["event": "booking-moving", "answer": "denied", "le": "2.5"]) == 1)
        #expect(sample(answers + "_bucket", ["event": "booking-moving", "answer": "denied", "le": "1.0"]) == 0)
        #expect(sample(answers + "_count", ["event": "other", "answer": "denied"]) == 1)
        #expect(sample(answers + "_count", ["event": "slot-booking", "answer": "denied"]) == nil)
    }

    @Test func jobOutcomesStartAtZeroAndCount() {
        let metrics = metrics
        #expect(sample("dpbridge_jobs_processed_total", ["queue": "outbox", "outcome": "dead"]) == 0)
        #expect(sample("dpbridge_pings_total") == 0)
        metrics.jobOutcomeObserver("outbox", .dead)
        metrics.jobOutcomeObserver("inbox", .done)
        metrics.jobOutcomeObserver("inbox", .done)
        #expect(sample("dpbridge_jobs_processed_total", ["queue": "outbox", "outcome": "dead"]) == 1)
        #expect(sample("dpbridge_jobs_processed_total", ["queue": "inbox", "outcome": "done"]) == 2)
        #expect(sample("dpbridge_jobs_processed_total", ["queue": "inbox", "outcome": "retry"]) == 0)
    }

    /// The HTTP adapter over a real mirror file and a scripted partner endpoint: calls are
    /// counted by outcome, and each POST by the partner's status.
    @Test func partnerCallsAndForwardsAreCounted() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "POST", "/events",
                [
                    ScriptedResponse(status: 503), ScriptedResponse(status: 400, body: "no"),
                    ScriptedResponse(status: 200),
                ])
        ])
        defer { server.stop() }
        let directory = try TemporaryDirectory(prefix: "dpbridge-metered-partner")
        defer { directory.remove() }
        let metrics = metrics
        let partner = MeteredPartner(
            HTTPPartner(
                mirror: try EmbeddedPartner(path: directory.file("mirror.sqlite")),
                forwarder: PartnerForwarder(
                    url: "\(server.baseURL)/events", secret: "s", timeoutSeconds: 5,
                    observer: metrics.partnerForwardObserver)),
            adapter: "http", metrics: metrics)
        let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")
        let booking = PartnerBooking(
            docplannerID: "42", calendar: calendar, start: Date(timeIntervalSince1970: 1_800_000_000),
            end: Date(timeIntervalSince1970: 1_800_001_800))
        for _ in 0..<3 {
            _ = try? partner.apply([.booked(booking)], eventKey: "slot-booked|42", eventTime: Date())
        }
        _ = try partner.booking(docplannerID: "42")

        let calls = "dpbridge_partner_calls_total"
        #expect(sample(calls, ["adapter": "http", "operation": "apply", "outcome": "unavailable"]) == 1)
        #expect(sample(calls, ["adapter": "http", "operation": "apply", "outcome": "rejected"]) == 1)
        #expect(sample(calls, ["adapter": "http", "operation": "apply", "outcome": "ok"]) == 1)
        #expect(sample(calls, ["adapter": "http", "operation": "booking", "outcome": "ok"]) == 1)
        let forwards = "dpbridge_partner_forwards_total"
        #expect(sample(forwards, ["status": "503"]) == 1)
        #expect(sample(forwards, ["status": "400"]) == 1)
        #expect(sample(forwards, ["status": "200"]) == 1)
        #expect(sample("dpbridge_partner_forward_duration_seconds_count") == 3)
    }
}
