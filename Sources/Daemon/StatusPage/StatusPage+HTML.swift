import Foundation
import Store
import Sync

extension StatusPage {
    /// The page as one HTML document: no script, no external asset (inline CSS and SVG).
    /// Every value from the store, Docplanner or the clinic is escaped (`HTMLText`).
    /// Elements tests and scripts read carry ids (`inbox-pending`, …) and `data-` counts.
    func html() -> String {
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="60">
            <title>dpbridge · \(e(report.tenant))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>dpbridge <span class="tenant">tenant \(e(report.tenant))</span></h1>
            <p class="meta">version \(e(report.version)) · up \(duration(Double(report.uptimeSeconds ?? 0))) · \
            accepting events: <b class="\(report.acceptingEvents ? "ok" : "bad")">\(report.acceptingEvents ? "yes" : "no")</b> · \
            \(e(time(now))) (\(e(timeZone.identifier))) · refreshes every minute</p>
            </header>

            """
        page += pingsSection() + queuesSection() + deadLettersSection() + mappingSection() + activationSection()
        page += """
            <footer>The same numbers as JSON: <code>GET /status</code>; Prometheus: <code>GET /metrics</code>. \
            Dead letters: <code>dpbridge deadletters list</code>.</footer>
            </body>
            </html>

            """
        return page
    }

    /// A page saying why the status page cannot be shown (no token, a wrong one, a store
    /// error); `explainingToken`: with how to give the token.
    static func refusal(_ message: String, explainingToken: Bool = true) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>dpbridge</title><style>\(style)</style></head>
        <body>
        <h1>dpbridge</h1>
        <p class="warning">\(HTMLText.escape(message))</p>
        \(explainingToken ? tokenHelp : "")
        </body>
        </html>

        """
    }

    private static let tokenHelp = """
        <p>Open this page as <code>http://127.0.0.1:PORT/?token=TOKEN</code> from this machine (an SSH tunnel \
        from yours will do), with the tenant's <code>listen.admin.token</code> (in <code>/etc/dpbridge/credentials/admin_token</code> \
        when <code>dpbridge init</code> made it); other tenants add <code>&amp;tenant=NAME</code>. Elsewhere, send the \
        token as <code>Authorization: Bearer</code>.</p>
        """

    // MARK: - Sections

    private func pingsSection() -> String {
        var section = "<section id=\"pings\">\n<h2>Docplanner's pings, last 24 hours</h2>\n"
        if let warning = report.pingWarning {
            section += "<p class=\"warning\" id=\"ping-warning\">\(e(warning))</p>\n"
        }
        let last = report.lastPing.map { "\(time($0)) (\(duration(now.timeIntervalSince($0))) ago)" } ?? "none yet"
        section += "<p>Last ping: <b id=\"last-ping\">\(e(last))</b> · \(strip.marks.count) recorded · "
        if let limit = strip.gapLimit {
            section +=
                "\(strip.gaps.count) gap\(strip.gaps.count == 1 ? "" : "s") (red: no ping for \(Int(limit / 60)) min "
                + "or more — Docplanner pings every 5 minutes and raises its alert after three missed pings)</p>\n"
        } else {
            section += "PULL mode: Docplanner sends no pings, so no gap is shown</p>\n"
        }
        section += strip.svg(time: { time($0) }) + "\n"
        section += """
            <p class="legend"><span class="key ping"></span> a ping (pings less than a minute apart count once) \
            <span class="key gap"></span> a gap <span class="key unknown"></span> no record (before the first ping or start kept)</p>
            </section>

            """
        return section
    }

    private func queuesSection() -> String {
        func row(_ label: String, _ key: String, _ inbox: Int, _ outbox: Int) -> String {
            "<tr><th scope=\"row\">\(label)</th><td id=\"inbox-\(key)\">\(inbox)</td><td id=\"outbox-\(key)\">\(outbox)</td></tr>\n"
        }
        let (inbox, outbox) = (report.inbox, report.outbox)
        func age(_ seconds: Double) -> String { seconds > 0 ? duration(seconds) : "–" }
        return """
            <section id="queues">
            <h2>Queues</h2>
            <table class="numbers">
            <thead><tr><th></th><th scope="col">inbox</th><th scope="col">outbox</th></tr></thead>
            <tbody>
            \(row("pending", "pending", inbox.pending, outbox.pending))\
            \(row("retrying", "retrying", inbox.retrying, outbox.retrying))\
            \(row("in flight", "in-flight", inbox.inFlight, outbox.inFlight))\
            <tr class="\(report.deadLetters > 0 ? "bad" : "")"><th scope="row">dead letters</th>\
            <td id="inbox-dead">\(inbox.dead)</td><td id="outbox-dead">\(outbox.dead)</td></tr>
            \(row("done", "done", inbox.done, outbox.done))\
            <tr><th scope="row">oldest pending</th><td id="inbox-oldest" data-seconds="\(Int(inbox.oldestPendingAgeSeconds))">\
            \(age(inbox.oldestPendingAgeSeconds))</td><td id="outbox-oldest" data-seconds="\(Int(outbox.oldestPendingAgeSeconds))">\
            \(age(outbox.oldestPendingAgeSeconds))</td></tr>
            </tbody>
            </table>
            <p>Quarantined callback bodies: <b id="quarantined">\(report.quarantined)</b></p>
            </section>

            """
    }

    private func deadLettersSection() -> String {
        var section = "<section id=\"dead-letters\">\n<h2>Latest dead letters</h2>\n"
        guard !deadLetters.isEmpty else { return section + "<p class=\"ok\">None.</p>\n</section>\n" }
        section += """
            <table class="list" data-rows="\(deadLetters.count)">
            <thead><tr><th scope="col">failed</th><th scope="col">queue</th><th scope="col">id</th><th scope="col">kind</th>\
            <th scope="col">attempts</th><th scope="col">reason</th></tr></thead>
            <tbody>

            """
        for letter in deadLetters {
            section += """
                <tr class="dead-letter"><td>\(e(letter.failedAt.map(time) ?? "–"))</td><td>\(letter.queue.rawValue)</td>\
                <td>\(letter.id)</td><td>\(e(letter.kind))</td><td>\(letter.attempts)</td>\
                <td class="reason">\(e(letter.reason))</td></tr>

                """
        }
        let more = report.deadLetters - deadLetters.count
        section += "</tbody>\n</table>\n"
        if more > 0 { section += "<p>… and \(more) more: <code>dpbridge deadletters list</code>.</p>\n" }
        return section + "</section>\n"
    }

    private func mappingSection() -> String {
        var section = "<section id=\"mapping\">\n<h2>Mapping coverage</h2>\n"
        guard !coverage.isEmpty else {
            return section + "<p>Nothing discovered yet: <code>dpbridge map discover</code>.</p>\n</section>\n"
        }
        section += """
            <table class="list">
            <thead><tr><th scope="col">kind</th><th scope="col">mapped / discovered</th><th scope="col"></th>\
            <th scope="col">mapped but vanished</th></tr></thead>
            <tbody>

            """
        for (kind, summary) in coverage {
            let share = summary.resources == 0 ? 1 : Double(summary.mapped) / Double(summary.resources)
            section += """
                <tr id="mapping-\(kind.rawValue)" data-mapped="\(summary.mapped)" data-discovered="\(summary.resources)" \
                data-vanished="\(summary.vanishedMapped)"><th scope="row">\(kind.rawValue)</th>\
                <td>\(summary.mapped) / \(summary.resources)</td>\
                <td><span class="meter"><span style="width:\(Int((share * 100).rounded()))%"></span></span></td>\
                <td class="\(summary.vanishedMapped > 0 ? "bad" : "")">\(summary.vanishedMapped)</td></tr>

                """
        }
        return section + "</tbody>\n</table>\n</section>\n"
    }

    private func activationSection() -> String {
        var section = "<section id=\"activation\">\n<h2>Activation, as last checked</h2>\n"
        guard !activations.isEmpty else {
            return section + "<p>Not checked yet: <code>dpbridge activate --facility ID</code>.</p>\n</section>\n"
        }
        for record in activations {
            let report = record.report
            section += """
                <div class="facility" id="activation-\(e(report.facilityID))" data-ready="\(report.ready)">
                <h3>facility \(e(report.facilityID))\(report.doctorID.map { ", doctor \(e($0)) only" } ?? "") · \
                <span class="\(report.ready ? "ok" : "bad")">\(report.ready ? "ready" : "not ready")</span> · \
                checked \(e(time(record.checkedAt))) (\(duration(now.timeIntervalSince(record.checkedAt))) ago)</h3>
                <ol class="steps">

                """
            for step in report.steps {
                section += """
                    <li class="step \(step.ok ? "ok" : "bad")" data-step="\(step.number)" data-ok="\(step.ok)">\
                    <span class="mark">\(step.ok ? "✓" : "✗")</span> <b>\(e(step.title))</b>: \(e(step.summary))
                    """
                if !step.problems.isEmpty {
                    section += "<ul class=\"problems\">"
                    for problem in step.problems.prefix(10) {
                        section += "<li>\(e(problem.reason))<br><span class=\"fix\">fix: \(e(problem.fix))</span></li>"
                    }
                    if step.problems.count > 10 { section += "<li>… and \(step.problems.count - 10) more</li>" }
                    section += "</ul>"
                }
                section += "</li>\n"
            }
            section += "</ol>\n</div>\n"
        }
        return section + "</section>\n"
    }

    // MARK: - Helpers

    private func e(_ text: some StringProtocol) -> String { HTMLText.escape(text) }

    /// `2026-03-02 09:12:44` in the page's zone.
    func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    /// `45s`, `3m 10s`, `2h 03m`, `3d 4h`.
    func duration(_ seconds: Double) -> String {
        let total = max(0, Int(seconds))
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m \(String(format: "%02d", total % 60))s"
        case ..<86_400: return "\(total / 3600)h \(String(format: "%02d", total % 3600 / 60))m"
        default: return "\(total / 86_400)d \(total % 86_400 / 3600)h"
        }
    }

    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;\
        padding:16px 24px;color:#1d2329;background:#fff}
        h1{font-size:22px;margin:8px 0 2px}h1 .tenant{font-weight:400;color:#5b6670;font-size:17px}
        h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #e3e7ea;padding-bottom:4px}
        h3{font-size:15px;margin:12px 0 6px;font-weight:600}
        .meta{color:#5b6670;margin:0}
        .ok{color:#1a7f37}.bad{color:#c62828}
        .warning{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px;margin:8px 0}
        svg.ping-strip{width:100%;height:auto;display:block;margin:8px 0 2px}
        svg .bar{fill:#eef3ee}svg .ping{fill:#2e7d32}svg .gap{fill:#e53935;fill-opacity:.85}
        svg .unknown{fill:#d5d9dc}svg .tick{stroke:#8a949c;stroke-width:1}
        svg text{font-size:14px;fill:#5b6670;font-family:system-ui,sans-serif}
        .legend{font-size:13px;color:#5b6670}
        .key{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin:0 4px 0 12px}
        .key.ping{background:#2e7d32;width:3px}.key.gap{background:#e53935}.key.unknown{background:#d5d9dc}
        table{border-collapse:collapse}th,td{padding:4px 12px;text-align:left;vertical-align:top}
        table.numbers td{text-align:right;font-variant-numeric:tabular-nums;min-width:64px}
        table.list{width:100%}table.list tbody tr:nth-child(odd){background:#f6f8f9}
        thead th{font-weight:600;color:#5b6670;border-bottom:1px solid #e3e7ea}
        td.reason{font-family:ui-monospace,monospace;font-size:13px;word-break:break-word}
        .meter{display:inline-block;width:140px;height:10px;background:#e3e7ea;border-radius:5px;overflow:hidden}
        .meter span{display:block;height:100%;background:#2e7d32}
        ol.steps{margin:4px 0 12px;padding-left:4px;list-style:none}ol.steps>li{margin:4px 0}
        .mark{display:inline-block;width:18px;font-weight:700}
        ul.problems{margin:2px 0 6px 22px;padding-left:16px;font-size:14px;color:#3b444c}.fix{color:#5b6670}
        code{background:#f1f3f5;padding:1px 4px;border-radius:3px;font-size:13px}
        footer{margin:32px 0 8px;color:#5b6670;font-size:13px}
        """
}
