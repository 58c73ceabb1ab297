import Foundation
import TestSupport
import Testing

/// The source-address allowlist of the public callback URL, with the daemon as a process.
@Suite(.serialized) struct SourceAllowlistTests {
    static let event =
        #"{"name":"slot-booked","data":{"visit_booking":{"id":"8801"}},"created_at":"2026-11-25T10:00:00+01:00"}"#

    /// POSTs `event` with extra curl `arguments`; returns "<status> <body>".
    func post(_ daemon: RunningDaemon, _ arguments: [String] = [], event: String = Self.event) throws -> String {
        let result = try curl(
            ["-H", "Content-Type: application/json", "-d", event, "-w", " %{http_code}"] + arguments + [
                daemon.callbackURL
            ])
        let parts = result.stdout.split(separator: " ")
        return "\(parts.last ?? "") \(parts.dropLast().joined(separator: " "))"
    }

    /// The inbox as `source|event_name` rows.
    func inbox(_ daemon: RunningDaemon) throws -> [String] {
        let rows = try sqlite(
            daemon.directory.file("state/dpbridge.sqlite"), "SELECT source, kind FROM inbox ORDER BY id")
        return rows.split(separator: "\n").map(String.init)
    }

    func waitForLog(_ daemon: RunningDaemon, _ text: String) -> Bool {
        eventually { daemon.log.contains(text) }
    }

    @Test func aSourceOutsideTheAllowlistIsRefusedAndNothingIsStored() throws {
        let daemon = try RunningDaemon(callbackYAML: ["allowlist: [10.0.0.0/8]"])
        #expect(try post(daemon) == #"403 {"error":"this source address may not post callbacks"}"#)
        // Without a trusted proxy, X-Forwarded-For is not believed.
        #expect(try post(daemon, ["-H", "X-Forwarded-For: 10.1.2.3"]).hasPrefix("403 "))
        let ping = try curl(["-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL])
        #expect(ping.stdout == "403")
        #expect(try post(daemon, event: "{oops").hasPrefix("403 "))
        #expect(try inbox(daemon).isEmpty)
        #expect(try sqlite(daemon.directory.file("state/dpbridge.sqlite"), "SELECT count(*) FROM quarantine") == "0")

        let log = daemon.stopAndReadLog()
        let refusals = log.split(separator: "\n").filter { $0.contains("event=callback-forbidden") }
        #expect(refusals.count == 4, "\(log)")
        #expect(refusals.allSatisfy { $0.contains("level=warning") && $0.contains("source=127.0.0.1") })
        #expect(!log.contains(daemon.secret))
    }

    @Test func aTrustedProxyForwardingAnAllowedClientIsStored() throws {
        let daemon = try RunningDaemon(callbackYAML: ["allowlist: [10.0.0.0/8]", "trusted_proxies: [127.0.0.1/32]"])
        #expect(try post(daemon, ["-H", "X-Forwarded-For: 10.1.2.3"]) == #"200 {"status":"stored"}"#)
        // The proxy itself, a client outside the list, and a client forging an allowed hop.
        #expect(try post(daemon).hasPrefix("403 "))
        #expect(try post(daemon, ["-H", "X-Forwarded-For: 192.0.2.7"]).hasPrefix("403 "))
        #expect(try post(daemon, ["-H", "X-Forwarded-For: 10.1.2.3, 192.0.2.7"]).hasPrefix("403 "))
        #expect(try inbox(daemon) == ["10.1.2.3|slot-booked"])

        let log = daemon.stopAndReadLog()
        #expect(log.contains("source=192.0.2.7"))
        #expect(log.contains("peer=127.0.0.1"))
        #expect(!log.contains(daemon.secret))
    }

    @Test func docplannersPublishedListAdmitsItsAddresses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let simulator = try SimulatorProcess(directory: directory, callbackURL: nil)
        defer { simulator.stop() }
        let daemon = try RunningDaemon(simulatorURL: simulator.url, callbackYAML: ["use_docplanner_ips: true"])
        defer { daemon.stopAndReadLog() }
        #expect(waitForLog(daemon, "event=docplanner-ips-refreshed"), "\(daemon.log)")
        #expect(daemon.log.contains("count=1"))
        #expect(try post(daemon) == #"200 {"status":"stored"}"#)
        #expect(try inbox(daemon) == ["127.0.0.1|slot-booked"])
        let status = try daemon.admin("/status").stdout
        #expect(status.contains(#""callbackSources" : "Docplanner's list""#), "\(status)")
        #expect(status.contains(#""addresses" : 1"#) && status.contains(#""loaded" : true"#), "\(status)")
        let kept = try String(contentsOfFile: daemon.directory.file("state/docplanner-ips.json"), encoding: .utf8)
        #expect(kept.contains("\"127.0.0.1/32\""))
        #expect(kept.contains("\(simulator.url)/public/docs/public-ips.json"))
    }

    @Test func anAddressMissingFromDocplannersListIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let simulator = try SimulatorProcess(
            directory: directory, callbackURL: nil, arguments: ["--public-ip", "192.0.2.1"])
        defer { simulator.stop() }
        let daemon = try RunningDaemon(simulatorURL: simulator.url, callbackYAML: ["use_docplanner_ips: true"])
        defer { daemon.stopAndReadLog() }
        #expect(waitForLog(daemon, "event=docplanner-ips-refreshed"), "\(daemon.log)")
        #expect(try post(daemon).hasPrefix("403 "))
        #expect(try inbox(daemon).isEmpty)
    }

    @Test func withoutDocplannersListOnlyTheAllowlistIsAdmittedAndOthersGet503() throws {
        // Nothing listens where Docplanner's list should be.
        let daemon = try RunningDaemon(
            simulatorURL: "http://127.0.0.1:\(freeLoopbackPort())",
            callbackYAML: ["allowlist: [10.0.0.0/8]", "use_docplanner_ips: true", "trusted_proxies: [127.0.0.1/32]"])
        #expect(waitForLog(daemon, "event=docplanner-ips-failed"), "\(daemon.log)")
        let refused = try post(daemon)
        #expect(refused.hasPrefix("503 "))
        #expect(refused.contains("could not be loaded yet"))
        #expect(try post(daemon, ["-H", "X-Forwarded-For: 10.1.2.3"]) == #"200 {"status":"stored"}"#)
        #expect(try inbox(daemon) == ["10.1.2.3|slot-booked"])

        let log = daemon.stopAndReadLog()
        #expect(log.contains("level=error") && log.contains("event=callback-unverifiable"), "\(log)")
        #expect(!log.contains(daemon.secret))
        #expect(daemon.process.terminationStatus == 0)
    }
}
