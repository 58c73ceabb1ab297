import ArgumentParser
import Daemon
import Store

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's state: pings, queues, dead letters, token and rate limits.",
        discussion: """
            Asks the running daemon through its admin listener; when the daemon is stopped, \
            reads the store directly and shows what it knows (the last ping, the queues). \
            Exits 1 when the daemon holds the store but its admin listener does not answer.
            """)

    @OptionGroup var options: OperatorOptions

    func run() throws {
        let report = try options.withSession { session throws(OperatorError) in try session.status() }
        options.emit(report) { Self.text(report) }
    }

    static func text(_ report: StatusReport) -> String {
        var rows: [[String]] = []
        let state =
            report.daemon == .running
            ? "running (tenant \(report.tenant)), up \(OperatorFormat.duration(Double(report.uptimeSeconds ?? 0)))"
            : "stopped (tenant \(report.tenant)): read from the store"
        rows.append(["daemon", state])
        rows.append(["version", report.version])
        rows.append(["store", report.store])
        if report.daemon == .running { rows.append(["accepting events", report.acceptingEvents ? "yes" : "NO"]) }
        let ping =
            report.lastPing.map {
                "\(OperatorFormat.time($0)) (\(OperatorFormat.duration(Double(report.lastPingAgeSeconds ?? 0))) ago)"
            } ?? "none recorded"
        rows.append(["last ping", report.pingAlertMinutes == nil ? "\(ping); none expected (pull mode)" : ping])
        if let warning = report.pingWarning {
            rows.append(["WARNING", "\(warning) (alert after \(report.pingAlertMinutes ?? 0) min)"])
        }
        rows.append([""])
        rows.append(["", "inbox", "outbox"])
        func both(_ label: String, _ value: (StoreCounts.Queue) -> String) {
            rows.append([label, value(report.inbox), value(report.outbox)])
        }
        both("pending") { "\($0.pending)" }
        both("retrying") { "\($0.retrying)" }
        both("in flight") { "\($0.inFlight)" }
        both("dead letters") { "\($0.dead)" }
        both("done") { "\($0.done)" }
        both("oldest pending") {
            $0.pending + $0.retrying == 0 ? "-" : OperatorFormat.duration($0.oldestPendingAgeSeconds)
        }
        rows.append([""])
        rows.append(["quarantined", "\(report.quarantined)"])
        let mapping = report.mapping
        rows.append([
            "mappings",
            mapping.resources == 0 && mapping.vanishedMapped == 0
                ? "nothing discovered (dpbridge map discover)"
                : "\(mapping.mapped) of \(mapping.resources) Docplanner resources mapped, \(mapping.unmapped) unmapped",
        ])
        if mapping.vanishedMapped > 0 {
            rows.append([
                "WARNING",
                "\(mapping.vanishedMapped) mapping(s) point at Docplanner resources that are gone "
                    + "(dpbridge map list shows them; map the replacements, then dpbridge map unset)",
            ])
        }
        if report.daemon == .running {
            rows.append([
                "OAuth token",
                report.oauthTokenExpiresAt.map {
                    let left = $0.timeIntervalSinceNow
                    return left > 0
                        ? "expires \(OperatorFormat.time($0)) (in \(OperatorFormat.duration(left)))"
                        : "expired \(OperatorFormat.time($0)); a new one is fetched at the next call"
                } ?? "none fetched yet",
            ])
            if let limits = report.rateLimits {
                rows.append([
                    "rate limits",
                    "\(limits.writesLeft)/\(limits.writesPerMinute) writes left this minute, "
                        + "\(limits.readsLeft)/\(limits.readsPerHour) reads left this hour",
                ])
            }
            rows.append(["callback sources", report.callbackSources ?? "-"])
            if let list = report.docplannerIPs {
                rows.append([
                    "Docplanner IPs",
                    list.loaded
                        ? "\(list.addresses) addresses, fetched \(OperatorFormat.time(list.fetchedAt))" : "NOT LOADED",
                ])
            }
        } else {
            rows.append(["OAuth token", "- (daemon stopped)"])
            rows.append(["rate limits", "- (daemon stopped)"])
        }
        return OperatorFormat.table(rows)
    }
}
