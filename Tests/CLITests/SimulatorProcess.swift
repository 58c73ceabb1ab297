import Foundation
import TestSupport

/// `dpbridge simulate` on an ephemeral loopback port, as a separate process; its log goes
/// to a file in `directory` (read by `log`).
final class SimulatorProcess {
    let process = Process()
    let port: UInt16
    let logPath: String

    init(
        directory: TemporaryDirectory, callbackURL: String?, port: UInt16 = freeLoopbackPort(), arguments: [String] = []
    ) throws {
        self.port = port
        logPath = directory.file("simulator.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: buildProductsDirectory() + "/dpbridge")
        process.arguments =
            [
                "simulate", "--port", "\(port)", "--ping-interval", "0", "--time-zone", "Europe/Warsaw",
                "--client-id", RunningDaemon.clientID, "--client-secret", RunningDaemon.clientSecret,
            ]
            + (callbackURL.map { ["--callback-url", $0] } ?? []) + arguments
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if let result = try? curl(["-fsS", "-o", "/dev/null", "\(url)/_sim/state"]), result.status == 0 { return }
            usleep(50_000)
        }
        stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "simulator did not start: \(log)"])
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// POSTs `body` to the simulator's admin action `/_sim/<action>` and returns the JSON answer.
    func act(_ action: String, _ body: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: body)
        let result = try curl([
            "-H", "Content-Type: application/json", "-d", String(decoding: data, as: UTF8.self),
            "\(url)/_sim/\(action)",
        ])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [
            "unparsed": result.output
        ]
    }

    /// The simulator's state (`GET /_sim/state`).
    func state() throws -> [String: Any] {
        let result = try curl(["\(url)/_sim/state"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// The simulator's booking `id` as `/_sim/state` shows it.
    func booking(_ id: String) throws -> [String: Any]? {
        ((try state()["bookings"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == id }
    }

    /// How many API requests with `method` had a path ending in `suffix` (and containing
    /// `containing`), among the latest ones the simulator keeps.
    func requestCount(_ method: String, containing: String, suffix: String = "") throws -> Int {
        ((try state()["requests"] as? [[String: Any]]) ?? []).filter {
            let path = $0["path"] as? String ?? ""
            return $0["method"] as? String == method && path.contains(containing) && path.hasSuffix(suffix)
        }.count
    }

    /// GETs an Integrations API path (after `/api/v3/integration`) with a token of the
    /// daemon's client; nil for a 404.
    func api(_ path: String) throws -> Any? {
        let token = try curl([
            "-d",
            "grant_type=client_credentials&client_id=\(RunningDaemon.clientID)&client_secret=\(RunningDaemon.clientSecret)",
            "\(url)/oauth/v2/token",
        ])
        let access = (try JSONSerialization.jsonObject(with: Data(token.stdout.utf8)) as? [String: Any])?[
            "access_token"]
        let result = try curl([
            "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(access as? String ?? "")",
            "\(url)/api/v3/integration\(path)",
        ])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.last != "404" else { return nil }
        return try JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8))
    }

    /// Slot start times (as Docplanner writes them) of doctor 123 at `address` from `from` to `to`.
    func slotStarts(address: String, from: String, to: String) throws -> [String] {
        let query = "start=\(percentEncoded(from))&end=\(percentEncoded(to))"
        let answer = try api("/facilities/1/doctors/123/addresses/\(address)/slots?\(query)") as? [String: Any]
        return ((answer?["_items"] as? [[String: Any]]) ?? []).compactMap { $0["start"] as? String }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// Runs `body` with a daemon (embedded partner, unless `extraEnvironment` says otherwise) and a simulator pointed at each other;
/// both are stopped when it returns.
func withDaemonAndSimulator(
    mode: String = "push", simulatorArguments: [String] = [], pushes: Bool = true, extraYAML: String = "",
    extraEnvironment: [String: String] = [:], _ body: (RunningDaemon, SimulatorProcess) throws -> Void
) throws {
    let simulatorPort = freeLoopbackPort()
    let daemon = try RunningDaemon(
        extraEnvironment: extraEnvironment, simulatorURL: "http://127.0.0.1:\(simulatorPort)", mode: mode,
        extraYAML: extraYAML)
    defer { daemon.stopAndReadLog() }
    let simulator = try SimulatorProcess(
        directory: daemon.directory, callbackURL: pushes ? daemon.callbackURL : nil, port: simulatorPort,
        arguments: simulatorArguments)
    defer { simulator.stop() }
    try body(daemon, simulator)
}

/// A time `days` after today at `hour`:`minute` in Warsaw, as Docplanner writes it.
func warsawTime(days: Int, hour: Int, minute: Int = 0) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Warsaw")!
    let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
    let date = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = calendar.timeZone
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

/// Runs `sql` on the SQLite file at `path` with the sqlite3 shell and returns its output.
func sqlite(_ path: String, _ sql: String) throws -> String {
    try runProcess("/usr/bin/sqlite3", ["-cmd", ".timeout 5000", path, sql]).stdout
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}
