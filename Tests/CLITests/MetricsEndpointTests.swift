import Foundation
import TestSupport
import Testing

/// `GET /metrics` of a live daemon talking to the simulator, read by Prometheus' own
/// Python parser: the state gauges are there from the start, and pings, callbacks, the
/// booking question (and its answer's latency), the inbound job, the partner calls and the
/// Docplanner calls move their counters by what was sent; the ping age is there in PUSH mode.
@Suite(.serialized) struct MetricsEndpointTests {
    @Test func scrapeParsesAndCountersFollowWhatWasSent() throws {
        try withDaemonAndSimulator { daemon, simulator in
            let contentType = try curl(
                ["-o", "/dev/null", "-w", "%{content_type}", "http://127.0.0.1:\(daemon.adminPort)/metrics"])
            #expect(contentType.stdout == "text/plain; version=0.0.4; charset=utf-8")

            let before = try Scrape(daemon)
            for queue in ["inbox", "outbox"] {
                for state in ["pending", "retrying", "in_flight"] {
                    #expect(
                        before.value("dpbridge_queue_jobs", ["queue": queue, "state": state]) == 0, "\(before.text)")
                }
                #expect(before.value("dpbridge_queue_oldest_pending_age_seconds", ["queue": queue]) == 0)
                #expect(before.value("dpbridge_dead_letters", ["queue": queue]) == 0)
            }
            #expect(before.value("dpbridge_quarantined_bodies") == 0)
            #expect(before.value("dpbridge_store_readable") == 1)
            #expect(
                before.value("dpbridge_docplanner_rate_limit_remaining", ["kind": "read"]).map { $0 > 7900 } == true)
            #expect(before.value("dpbridge_docplanner_rate_limit_remaining", ["kind": "write"]).map { $0 > 30 } == true)
            #expect(before.types["dpbridge_pings"] == "counter")
            #expect(before.types["dpbridge_queue_jobs"] == "gauge")
            #expect(before.types["dpbridge_last_ping_age_seconds"] == "gauge")
            #expect(before.value("dpbridge_last_ping_age_seconds").map { $0 >= 0 } == true, "\(before.text)")
            #expect(!before.samples.isEmpty && before.samples.allSatisfy { $0.labels["tenant"] == "default" })

            // Three pings, a body that is not JSON, a wrong secret.
            for _ in 0..<3 { _ = try curl(["-fsS", "-o", "/dev/null", daemon.callbackURL]) }
            _ = try curl(["-d", "{oops", "-o", "/dev/null", daemon.callbackURL])
            _ = try curl(["-o", "/dev/null", "http://127.0.0.1:\(daemon.publicPort)/callbacks/wrong-secret"])
            // A patient books on Docplanner: it asks (slot-booking), then pushes slot-booked.
            let booked = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 3, hour: 10)])
            #expect(booked["outcome"] as? String == "booked", "\(booked)")

            var after = before
            let settled = try eventually(attempts: 400) {
                after = try Scrape(daemon)
                return after.delta(before, "dpbridge_callbacks_acknowledged_total", ["event": "slot-booked"]) == 1
                    && after.delta(before, "dpbridge_jobs_processed_total", ["queue": "inbox", "outcome": "done"]) >= 1
                    && after.value("dpbridge_docplanner_requests_total", ["operation": "releaseNotifications"]) != nil
            }
            #expect(settled, "\(after.text)\n\(daemon.log)")

            #expect(after.delta(before, "dpbridge_pings_total") == 3)
            #expect(after.delta(before, "dpbridge_callbacks_received_total", ["event": "slot-booked"]) == 1)
            #expect(after.delta(before, "dpbridge_callbacks_received_total", ["event": "slot-booking"]) == 1)
            #expect(after.delta(before, "dpbridge_callbacks_acknowledged_total", ["event": "slot-booking"]) == 1)
            #expect(after.delta(before, "dpbridge_callbacks_received_total", ["event": "unknown"]) == 2)
            #expect(after.delta(before, "dpbridge_callbacks_rejected_total", ["reason": "quarantined"]) == 1)
            #expect(after.delta(before, "dpbridge_callbacks_rejected_total", ["reason": "unauthorized"]) == 1)
            #expect(after.delta(before, "dpbridge_callbacks_rejected_total", ["reason": "denied"]) == 0)
            let answers = "dpbridge_blocking_answer_duration_seconds_count"
            #expect(after.delta(before, answers, ["event": "slot-booking", "answer": "approved"]) == 1)
            #expect(after.delta(before, answers, ["answer": "denied"]) == 0)
            #expect(after.value("dpbridge_quarantined_bodies") == 1)
            #expect(after.value("dpbridge_queue_jobs", ["queue": "inbox", "state": "pending"]) == 0)

            // The question asked the clinic calendar; the event was applied to it.
            let calls = "dpbridge_partner_calls_total"
            #expect(after.delta(before, calls, ["adapter": "embedded", "operation": "isFree", "outcome": "ok"]) >= 1)
            #expect(after.delta(before, calls, ["adapter": "embedded", "operation": "apply", "outcome": "ok"]) == 1)

            // At start: a token, then POST /notifications/release (push mode).
            let requests = "dpbridge_docplanner_requests_total"
            #expect(after.total(requests, ["operation": "oauthToken", "status": "200"]) >= 1)
            #expect(after.total(requests, ["operation": "releaseNotifications", "status": "204"]) >= 1)
            let timed = "dpbridge_docplanner_request_duration_seconds_count"
            #expect(after.total(timed, ["operation": "releaseNotifications"]) >= 1)
            #expect(after.types["dpbridge_docplanner_request_duration_seconds"] == "histogram")
        }
    }
}

/// One scrape of `/metrics`, parsed by `prometheus_client.parser.text_string_to_metric_families`
/// (Debian's python3-prometheus-client) in a child process: a malformed exposition fails there.
struct Scrape {
    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family: Decodable {
        var name: String
        var type: String
        var samples: [Sample]
    }

    let text: String
    let samples: [Sample]
    /// Family name (without `_total`) → type.
    let types: [String: String]

    static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = text_string_to_metric_families(open(sys.argv[1]).read())
        print(json.dumps([
            {"name": f.name, "type": f.type,
             "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
            for f in families]))
        """

    init(_ daemon: RunningDaemon) throws {
        let scrape = try curl(["-fsS", "http://127.0.0.1:\(daemon.adminPort)/metrics"])
        guard scrape.status == 0 else { throw ScrapeError("GET /metrics failed: \(scrape.output)") }
        text = scrape.stdout
        let path = daemon.directory.file("scrape.txt")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        // Debian's interpreter, where python3-prometheus-client is installed (not a pyenv one).
        let parsed = try runProcess("/usr/bin/python3", ["-c", Self.parser, path])
        guard parsed.status == 0 else {
            throw ScrapeError("prometheus_client cannot parse it: \(parsed.stderr)\n\(text)")
        }
        let families = try JSONDecoder().decode([Family].self, from: Data(parsed.stdout.utf8))
        samples = families.flatMap(\.samples)
        types = Dictionary(families.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
    }

    /// The sample `name` whose labels include `labels` (the first, if several do).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        matching(name, labels).first?.value
    }

    /// The sum over every sample `name` whose labels include `labels`; 0 when none.
    func total(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).reduce(0) { $0 + $1.value }
    }

    /// How much `total` grew since `earlier` (a series that did not exist then counts from 0).
    func delta(_ earlier: Scrape, _ name: String, _ labels: [String: String] = [:]) -> Double {
        total(name, labels) - earlier.total(name, labels)
    }

    private func matching(_ name: String, _ labels: [String: String]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }
}

struct ScrapeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
