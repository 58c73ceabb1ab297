import Foundation
import TestSupport
import Testing

/// Starts `dpbridge run` on ephemeral loopback ports and stops it with SIGTERM (or kills
/// it with SIGKILL and starts it again on the same files and ports).
final class RunningDaemon {
    private(set) var process = Process()
    let configPath: String
    private let environment: [String: String]
    /// The variables added to the daemon's environment (also given to operator commands).
    let extraEnvironment: [String: String]
    let publicPort = freeLoopbackPort()
    let adminPort = freeLoopbackPort()
    let directory: TemporaryDirectory
    let secret = "run-test-callback-secret-77"
    /// The admin token of the configuration file (`DPBRIDGE_LISTEN_ADMIN_TOKEN` overrides it).
    static let defaultAdminToken = "run-test-admin-token-0123456789"
    static let clientID = "run-test"
    static let clientSecret = "run-test-client-secret-value"
    /// The daemon's stderr (its log) goes to a file, so a chatty daemon never blocks on a full pipe.
    private let logPath: String
    /// When set, the daemon is started by `/bin/sh` under this umask (e.g. "022").
    private let umask: String?

    /// `simulatorURL` points the daemon's Docplanner client at a simulator (by default at a
    /// closed loopback port: tests never reach the internet); `callbackYAML`
    /// adds lines to the `callback:` section (`allowlist: [10.0.0.0/8]`); `extraYAML` is
    /// appended to the configuration file.
    init(
        extraEnvironment: [String: String] = [:], simulatorURL: String? = nil, mode: String = "push",
        callbackYAML: [String] = [], extraYAML: String = "", adminToken: String? = RunningDaemon.defaultAdminToken,
        umask: String? = nil
    ) throws {
        self.umask = umask
        directory = try TemporaryDirectory()
        configuredToken = adminToken
        configPath = try directory.write(
            "dpbridge.yaml",
            """
            listen:
              public: {address: 127.0.0.1, port: \(publicPort)}
              admin: {address: 127.0.0.1, port: \(adminPort)\(adminToken.map { ", token: \($0)" } ?? "")}
            callback:
              secret: \(secret)
            \(callbackYAML.map { "  " + $0 }.joined(separator: "\n"))
            docplanner:
              domain: znanylekarz.pl
              client_id: \(Self.clientID)
              client_secret: \(Self.clientSecret)
              mode: \(mode)
              time_zone: Europe/Warsaw
              base_url: \(simulatorURL ?? "http://127.0.0.1:9")
            store:
              path: \(directory.file("state/dpbridge.sqlite"))
            partner:
              embedded: {path: \(directory.file("state/partner.sqlite"))}
            log:
              format: text
            \(extraYAML)
            """)
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("DPBRIDGE_") && $0.key != "NOTIFY_SOCKET" && $0.key != "LISTEN_FDS"
                && $0.key != "CREDENTIALS_DIRECTORY" && $0.key != "JOURNAL_STREAM"
        }
        environment.merge(extraEnvironment) { $1 }
        self.environment = environment
        self.extraEnvironment = extraEnvironment
        logPath = directory.file("daemon.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        try launch()
    }

    private func launch() throws {
        process = Process()
        let binary = buildProductsDirectory() + "/dpbridge"
        if let umask {
            // exec: the daemon keeps the shell's pid, so signals reach it.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", binary, "run", "--config", configPath]
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--config", configPath]
        }
        process.environment = environment
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitUntilAnswering()
    }

    /// SIGKILL: no drain, no clean close (a power cut, an OOM kill).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Starts the daemon again on the same configuration, files and ports.
    func restart() throws {
        kill()
        try launch()
    }

    /// SIGTERM and wait for the exit, keeping the files (unlike `stopAndReadLog`).
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Starts the daemon again after `stop()` or `kill()`.
    func start() throws {
        guard !process.isRunning else { return }
        try launch()
    }

    /// The token the daemon's tenant routes take.
    var adminToken: String { environment["DPBRIDGE_LISTEN_ADMIN_TOKEN"] ?? configuredToken ?? "" }
    private let configuredToken: String?

    /// `curl` of an admin route (`/status`, `/jobs?…`) with the admin token, over the
    /// admin socket when one is configured.
    func admin(_ path: String, _ arguments: [String] = []) throws -> ProcessResult {
        let socket = environment["DPBRIDGE_LISTEN_ADMIN_SOCKET"]
        let url = socket == nil ? "http://127.0.0.1:\(adminPort)\(path)" : "http://localhost\(path)"
        return try curl(
            (socket.map { ["--unix-socket", $0] } ?? []) + ["-H", "Authorization: Bearer \(adminToken)"] + arguments + [
                url
            ])
    }

    /// Runs `dpbridge <arguments> --config <this daemon's configuration>` with the
    /// daemon's extra environment (and `environment`).
    func command(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        var merged: [String: String?] = extraEnvironment.mapValues { $0 }
        merged.merge(environment) { $1 }
        return try dpbridge(arguments + ["--config", configPath], environment: merged)
    }

    private func waitUntilAnswering() throws {
        for _ in 0..<100 {
            let admin = environment["DPBRIDGE_LISTEN_ADMIN_SOCKET"].map { ["--unix-socket", $0] } ?? []
            if let result = try? curl(admin + ["-fsS", "http://127.0.0.1:\(adminPort)/health"]), result.status == 0 {
                return
            }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        throw CocoaError(
            .fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "daemon did not start: \(stopAndReadLog())"])
    }

    /// Sends SIGTERM, waits for exit, and returns everything the daemon logged.
    @discardableResult
    func stopAndReadLog() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let log = self.log
        directory.remove()
        return log
    }

    /// What the daemon has logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    var callbackURL: String { "http://127.0.0.1:\(publicPort)/callbacks/\(secret)" }

    /// The embedded clinic calendar's file.
    var calendarPath: String { directory.file("state/partner.sqlite") }

    /// Runs `dpbridge <arguments> --config <this daemon's configuration>` with the
    /// daemon's environment, as an operator would beside it.
    func cli(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(
            buildProductsDirectory() + "/dpbridge", arguments + ["--config", configPath],
            environment: environment.mapValues { Optional($0) })
    }
}

func curl(_ arguments: [String]) throws -> ProcessResult {
    try runProcess("/usr/bin/curl", ["--max-time", "10", "-sS"] + arguments)
}

@Suite(.serialized) struct RunCommandTests {
    @Test func answersPingsStoresEventsAndStopsGracefully() throws {
        let daemon = try RunningDaemon()
        let ping = try curl(["-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL])
        #expect(ping.stdout == "200")
        let head = try curl(["-I", "-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL])
        #expect(head.stdout == "200")
        let emptyPost = try curl(["-X", "POST", "-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL])
        #expect(emptyPost.stdout == "200")
        let wrong = try curl([
            "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(daemon.publicPort)/callbacks/nope",
        ])
        #expect(wrong.stdout == "404")

        let event =
            #"{"name":"slot-booked","data":{"visit_booking":{"id":"555"}},"created_at":"2026-11-25T10:00:00+01:00"}"#
        let stored = try curl(["-H", "Content-Type: application/json", "-d", event, daemon.callbackURL])
        #expect(stored.stdout.contains("stored"))
        let again = try curl([
            "-H", "Content-Type: application/json", "-d", event, "-w", " %{http_code}", daemon.callbackURL,
        ])
        #expect(again.stdout.hasSuffix(" 200"))
        let garbage = try curl(["-d", "{oops", "-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL])
        #expect(garbage.stdout == "400")

        // An inbound worker applies the event to the embedded partner calendar.
        var applied = ""
        for _ in 0..<100 where applied != "555|booked" {
            applied =
                (try? runProcess(
                    "/usr/bin/sqlite3",
                    [
                        daemon.directory.file("state/partner.sqlite"),
                        "SELECT docplanner_booking_id, status FROM bookings",
                    ]))?.stdout
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            usleep(50_000)
        }
        #expect(applied == "555|booked")
        let status = try daemon.admin("/status")
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let inbox = json?["inbox"] as? [String: Any]
        #expect(inbox?["pending"] as? Int == 0, "\(status.stdout)")
        #expect(inbox?["dead"] as? Int == 0, "\(status.stdout)")
        #expect(json?["quarantined"] as? Int == 1)
        #expect(json?["lastPingAgeSeconds"] != nil)

        let log = daemon.stopAndReadLog()
        #expect(daemon.process.terminationStatus == 0, "\(log)")
        // One line per event at info: the worker's, once it is applied (with the booking id).
        #expect(!log.contains("msg=\"callback stored\""))
        #expect(log.contains("booking_id=555"))
        #expect(log.contains("callback already stored (duplicate)"))
        #expect(log.contains("msg=\"event applied to the partner calendar\""))
        #expect(log.contains("msg=stopped"))
        for secret in [daemon.secret, "run-test-client-secret-value"] {
            #expect(!log.contains(secret))
        }
        for line in log.split(separator: "\n") {
            #expect(line.hasPrefix("ts="), "not a key=value line: \(line)")
        }
    }

    @Test func adminListenerOnAUnixSocket() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("run/admin.sock")
        let daemon = try RunningDaemon(extraEnvironment: ["DPBRIDGE_LISTEN_ADMIN_SOCKET": path])
        let status = try daemon.admin("/status")
        #expect(status.stdout.contains("\"acceptingEvents\" : true"), "\(status.output)")
        #expect(
            try curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(daemon.adminPort)/health"]).stdout
                == "000", "no TCP admin listener when the socket is set")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let log = daemon.stopAndReadLog()
        #expect(log.contains("admin=\(path)"), "\(log)")
    }

    /// The daemon sets its own umask: even started under 022 (outside systemd), the stores,
    /// the calendar and the directory it creates for them are the daemon user's alone.
    @Test func filesTheDaemonCreatesAreOwnerOnly() throws {
        let daemon = try RunningDaemon(umask: "022")
        defer { daemon.stopAndReadLog() }
        func mode(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
        }
        let state = daemon.directory.file("state")
        #expect(mode(state) == 0o700)
        for name in ["dpbridge.sqlite", "partner.sqlite", "dpbridge.sqlite.lock"] {
            #expect(mode("\(state)/\(name)") == 0o600, "\(name)")
        }
        // Under the same umask, a file made by the shell is readable by all: the test can fail.
        let control = try runProcess("/bin/sh", ["-c", "umask 022 && : > \"$0\"", daemon.directory.file("control")])
        #expect(control.status == 0)
        #expect(mode(daemon.directory.file("control")) == 0o644)
    }

    @Test func unusableStorePathFailsWithOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = try directory.write("blocker", "a file where a directory should be")
        let config = try directory.write(
            "dpbridge.yaml",
            """
            callback: {secret: run-test-callback-secret-77}
            docplanner: {domain: znanylekarz.pl, client_id: x, client_secret: y}
            store: {path: \(blocker)/sub/dpbridge.sqlite}
            listen: {public: {port: \(freeLoopbackPort())}, admin: {port: \(freeLoopbackPort())}}
            """)
        let result = try runProcess(buildProductsDirectory() + "/dpbridge", ["run", "--config", config])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open the store at \(blocker)/sub/dpbridge.sqlite"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!looksLikeStackTrace(result.output))
    }
}
