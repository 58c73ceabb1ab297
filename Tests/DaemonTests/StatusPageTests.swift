import Foundation
import Sync
import TestSupport
import Testing

@testable import Daemon
@testable import HTTP1
@testable import Store

/// The admin listener's status page (`GET /`): what it shows, that nothing it did not
/// write itself can become markup, that a job's patient stays out of its reason, and who
/// may open it (the tenant's token; as `?token=` only from this machine, not through a proxy).
@Suite struct StatusPageTests {
    static let token = "status-page-test-token-0123456789"
    static let patientPayload = Array(
        #"{"name":"x","data":{"visit_booking":{"patient":{"name":"Zbigniewa","surname":"Sekretna","phone":"+48999888777"}}}}"#
            .utf8)

    /// A store with 12 dead letters (one with a `<script>` reason naming its patient), a
    /// pending outbox job, two doctors discovered (one mapped) and an activation report
    /// whose problem carries a doctor name with markup.
    func fill(_ store: Store) throws {
        for index in 0..<11 {
            _ = try store.inbox.enqueueAndWait(
                InboxItem(body: Array("{}".utf8), dedupKey: "plain-\(index)", eventName: "slot-booked"))
        }
        _ = try store.inbox.enqueueAndWait(
            InboxItem(body: Self.patientPayload, dedupKey: "evil", eventName: "<script>alert(1)</script>"))
        for job in try store.inbox.claim(limit: 12, workerID: "test") {
            let reason =
                job.dedupKey == "evil"
                ? "unknown event <script>alert(1)</script> for SEKRETNA at +48999888777 & co"
                : "slot-booked without visit_booking.id (\(job.dedupKey))"
            try store.inbox.failPermanently(job, reason: reason)
        }
        _ = try store.outbox.enqueueAndWait(OutboxItem(kind: "slots", payload: Array("{}".utf8)))
        try store.mappings.recordDiscovery(
            [
                DocplannerResource(kind: .facility, id: "3", name: "Clinic <b>bold</b>"),
                DocplannerResource(kind: .doctor, id: "3001", name: "Anna", facilityID: "3"),
                DocplannerResource(kind: .doctor, id: "3002", name: "<img src=x onerror=alert(1)>", facilityID: "3"),
            ], scope: .everything)
        try store.mappings.set(.doctor, "3001", to: "D-1", source: .manual)
        let steps = [
            ActivationReport.Step(
                number: 1, title: "callback URL configured and answering", ok: true, summary: "answers"),
            ActivationReport.Step(
                number: 2, title: "doctor profiles fed with mapped services and insurances", ok: false,
                summary: "0 of 1 addresses mapped; no write calls",
                problems: [
                    ActivationProblem(
                        "doctor 3002 (<img src=x onerror=alert(1)>) is not mapped",
                        fix: "dpbridge map set doctor 3002 <partner id>")
                ]),
        ]
        try ActivationRecord(
            checkedAt: Date().addingTimeInterval(-3600),
            report: ActivationReport(facilityID: "3", doctorID: nil, steps: steps)
        ).keep(in: store)
    }

    /// Pings every 5 minutes over the last day, but none for 40 minutes 10 hours ago.
    func pings(now: Date) -> [Int64] {
        let end = Int64(now.timeIntervalSince1970) - 100
        return (0...286).filter { !(120 < $0 && $0 < 128) }.map { end - Int64($0) * 300 }
    }

    @Test func thePageShowsEachPartAndEscapesWhatItDidNotWrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        try fill(store)
        let now = Date()
        let seconds = pings(now: now)
        let health = DaemonHealth(pingSilenceLimit: 900, pingHistory: PingHistory(seconds: seconds))
        let report = try AdminEndpoints(store: store, health: health).status(tenant: "default", now: now)
        let page = try StatusPage(
            report: report, health: health, store: store, timeZone: TimeZone(identifier: "Europe/Warsaw")!, now: now)
        let html = page.html()

        // Nothing from the store becomes markup.
        #expect(!html.contains("<script"), "no script element at all")
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(
            html.contains(
                "unknown event &lt;script&gt;alert(1)&lt;/script&gt; for &lt;redacted&gt; at &lt;redacted&gt; &amp; co")
        )
        #expect(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "the kind too")
        #expect(html.contains("doctor 3002 (&lt;img src=x onerror=alert(1)&gt;) is not mapped"))
        // The job's patient is masked in its reason, and no payload is shown.
        #expect(!html.localizedCaseInsensitiveContains("Sekretna") && !html.contains("48999888777"))
        #expect(!html.contains("Zbigniewa"))

        // Pings: one mark each, one gap (40 min), none for the rest (5 min apart).
        #expect(html.components(separatedBy: "<rect class=\"ping\"").count - 1 == seconds.count)
        #expect(html.components(separatedBy: "<rect class=\"gap\"").count - 1 == 1)
        #expect(html.contains("no ping for 40 min"))
        #expect(html.contains("<svg class=\"ping-strip\""))

        // Queues: the numbers of /status.
        #expect(report.inbox.dead == 12 && report.outbox.pending == 1)
        #expect(html.contains("<td id=\"inbox-dead\">12</td>"))
        #expect(html.contains("<td id=\"outbox-pending\">1</td>"))
        #expect(html.contains("<td id=\"inbox-pending\">0</td>"))
        // The ten latest dead letters, and how many more.
        #expect(html.components(separatedBy: "<tr class=\"dead-letter\">").count - 1 == 10)
        #expect(html.contains("… and 2 more"))
        #expect(page.deadLetters.first?.id == 12, "newest first")

        // Mapping coverage per kind.
        #expect(html.contains("id=\"mapping-doctor\" data-mapped=\"1\" data-discovered=\"2\" data-vanished=\"0\""))
        #expect(html.contains("id=\"mapping-facility\" data-mapped=\"0\" data-discovered=\"1\""))
        #expect(!html.contains("id=\"mapping-plan\""), "kinds never discovered are left out")

        // Activation as last checked, with its time.
        #expect(html.contains("id=\"activation-3\" data-ready=\"false\""))
        #expect(html.contains("data-step=\"1\" data-ok=\"true\"") && html.contains("data-step=\"2\" data-ok=\"false\""))
        #expect(html.contains("(1h 00m ago)"))
    }

    @Test func aReasonIsShortenedAndAPayloadThatIsNotJSONMasksNothing() {
        let long = String(repeating: "x", count: 1000)
        let record = JobRecord(
            id: 1, kind: "k", state: .dead, dedupKey: "d", orderingKey: nil, coalesceKey: nil, priority: 0, source: "",
            payload: Array("not json".utf8), attempts: 1, lastError: long, createdAt: Date(), notBefore: nil,
            leaseUntil: nil, finishedAt: Date())
        #expect(StatusPage.reason(record) == String(repeating: "x", count: StatusPage.reasonLength) + "…")
        #expect(
            HTMLText.escape(#"<a href="x" title='y'>&</a>"#)
                == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }

    /// A live admin router on 127.0.0.1, as the daemon serves it.
    final class LiveAdmin {
        let server: HTTPServer
        let port: Int
        init(store: Store, token: String?) throws {
            var router = Router()
            AdminEndpoints(
                store: store, health: DaemonHealth(pingSilenceLimit: 900),
                authorization: AdminAuthorization(token: token, tenant: "default")
            ).register(on: &router)
            server = HTTPServer(router: router)
            port = try server.bind(host: "127.0.0.1", port: 0)
            try server.start()
        }
        deinit { server.shutdown(deadline: .milliseconds(200)) }

        /// (status, headers, body) of `GET path` with `headers`.
        func get(_ path: String, _ headers: [String] = []) throws -> (status: Int, head: String, body: String) {
            let result = try runProcess(
                "/usr/bin/curl",
                ["-sS", "--max-time", "10", "-i"] + headers.flatMap { ["-H", $0] } + ["http://127.0.0.1:\(port)\(path)"]
            )
            let parts = result.stdout.components(separatedBy: "\r\n\r\n")
            let head = parts.first ?? ""
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, head, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }

    @Test func theTenantsTokenOpensThePageAndTheQueryTokenOnlyFromThisMachine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        try fill(store)
        let live = try LiveAdmin(store: store, token: Self.token)

        let none = try live.get("/")
        #expect(none.status == 401 && none.head.contains("WWW-Authenticate: Bearer"))
        #expect(none.body.contains("missing or wrong bearer token") && !none.body.contains("inbox-dead"))
        #expect(none.body.contains("/?token=TOKEN"), "a refused token says how to give it")
        #expect(try live.get("/", ["Authorization: Bearer wrong-token"]).status == 401)
        #expect(try live.get("/?token=wrong-token").status == 401)

        let header = try live.get("/", ["Authorization: Bearer \(Self.token)"])
        #expect(header.status == 200)
        #expect(header.head.contains("Content-Type: text/html; charset=utf-8"))
        #expect(header.head.contains("Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'"))
        #expect(header.head.contains("Cache-Control: no-store") && header.head.contains("Referrer-Policy: no-referrer"))
        #expect(header.body.contains("<td id=\"inbox-dead\">12</td>") && !header.body.contains("<script"))

        let query = try live.get("/?token=\(Self.token)")
        #expect(query.status == 200 && query.body.contains("<svg class=\"ping-strip\""))
        #expect(try live.get("/?tenant=default&token=\(Self.token)").status == 200)
        // Through a proxy the peer is the proxy: the query token is refused, the header is not.
        let proxied = try live.get("/?token=\(Self.token)", ["X-Forwarded-For: 203.0.113.9"])
        #expect(proxied.status == 401 && proxied.body.contains("from this machine only"))
        #expect(
            try live.get("/", ["X-Forwarded-For: 203.0.113.9", "Authorization: Bearer \(Self.token)"]).status == 200)
        // The query token opens the page only, never a route that reads payloads.
        #expect(try live.get("/status?token=\(Self.token)").status == 401)

        let closed = try LiveAdmin(store: store, token: nil)
        let refused = try closed.get("/?token=\(Self.token)")
        #expect(refused.status == 403 && refused.body.contains("listen.admin.token"))
    }

    @Test func aQueryTokenFromAnotherHostIsRefused() {
        let authorization = AdminAuthorization(token: Self.token, tenant: "default")
        var request = HTTPRequest(
            method: "GET", target: "/?token=\(Self.token)", headers: [], body: [], version: (1, 1), keepAlive: false)
        request.remoteAddress = "192.0.2.7"
        #expect(authorization.refusalReason(request, queryToken: Self.token)?.status == 401)
        request.remoteAddress = "127.0.0.1"
        #expect(authorization.refusalReason(request, queryToken: Self.token) == nil)
        #expect(authorization.refusalReason(request, queryToken: nil)?.status == 401, "routes that take no query token")
        request.remoteAddress = "192.0.2.7"
        request.headers.add("Authorization", "Bearer \(Self.token)")
        #expect(authorization.refusalReason(request, queryToken: nil) == nil, "the header from anywhere")
    }
}
