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
            ["simulate", "--port", "\(port)", "--ping-interval", "0", "--time-zone", "Europe/Warsaw"]
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
        let result = try curl(["-H", "Content-Type: application/json", "-d", String(decoding: data, as: UTF8.self),
                               "\(url)/_sim/\(action)"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [
            "unparsed": result.output
        ]
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
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

/// Polls `probe` until it returns true, for at most `attempts` × 50 ms.
func eventually(attempts: Int = 200, _ probe: () throws -> Bool) rethrows -> Bool {
    for _ in 0..<attempts {
        if try probe() { return true }
        usleep(50_000)
    }
    return false
}
