import Foundation
import TestSupport
import Testing

/// `dpbridge status`, `queue …` and `deadletters …` run as an operator would: the real
/// binary against a running daemon (admin listener over TCP, and over a Unix socket with
/// a token) and against the same store once the daemon is stopped or killed.
@Suite(.serialized) struct OperatorCommandTests {
    /// The JSON object a command printed with `--json`; records an issue when it failed.
    func object(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.output)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "\(result.stderr)", sourceLocation: sourceLocation)
        return try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.output)",
            sourceLocation: sourceLocation)
    }

    /// The command failed with one line on stderr containing `text`, and printed nothing else.
    func expectOneLineError(_ result: ProcessResult, _ text: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(result.status != 0, "\(result.output)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("dpbridge: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(!looksLikeStackTrace(result.output), sourceLocation: sourceLocation)
    }

    func jobs(_ list: [String: Any]) -> [[String: Any]] { list["jobs"] as? [[String: Any]] ?? [] }

    /// An event that names nothing to apply: the inbound worker makes it a dead letter.
    static let eventWithoutBooking =
        #"{"name":"slot-booked","data":{"visit_booking":{}},"created_at":"2026-11-25T10:00:00+01:00"}"#

    @Test func runningDaemonOverTCPThenItsStoppedStore() throws {
        try withDaemonAndSimulator { daemon, simulator in
            // A ping, an inbox dead letter (an event without a booking id) and an outbox one
            // (a clinic booking without the patient's phone, which Docplanner requires).
            #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", daemon.callbackURL]).stdout == "200")
            _ = try curl(["-H", "Content-Type: application/json", "-d", Self.eventWithoutBooking, daemon.callbackURL])
            _ = try sqlite(
                daemon.directory.file("state/partner.sqlite"),
                """
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id, patient_name)
                VALUES ('1', '123', '111', '\(warsawTime(days: 4, hour: 9))', '\(warsawTime(days: 4, hour: 9, minute: 30))',
                    '101', 'No Phone');
                """)
            var status: [String: Any] = [:]
            #expect(
                try eventually {
                    status = try object(daemon.command(["status", "--json"]))
                    return status["deadLetters"] as? Int == 2 && status["oauthTokenExpiresAt"] is String
                }, "\(status)")
            #expect(status["daemon"] as? String == "running")
            #expect(status["tenant"] as? String == "default")
            #expect(status["acceptingEvents"] as? Bool == true)
            #expect(status["uptimeSeconds"] is Int)
            #expect(status["pingAlertMinutes"] as? Int == 15)
            #expect(status["pingWarning"] is NSNull)
            let lastPing = try #require(status["lastPing"] as? String)
            #expect(status["lastPingAgeSeconds"] is Int)
            #expect((status["inbox"] as? [String: Any])?["dead"] as? Int == 1)
            #expect((status["outbox"] as? [String: Any])?["dead"] as? Int == 1)
            #expect(status["quarantined"] as? Int == 0)
            let limits = try #require(status["rateLimits"] as? [String: Any])
            #expect(limits["writesPerMinute"] as? Int == 40)
            #expect(limits["readsPerHour"] as? Int == 8000)
            #expect((limits["writesLeft"] as? Int).map { (0...40).contains($0) } == true)
            #expect(status["store"] as? String == daemon.directory.file("state/dpbridge.sqlite"))
            // The same through GET /status and the --tenant the command passes on.
            let direct =
                try JSONSerialization.jsonObject(
                    with: Data(try daemon.admin("/status?tenant=default").stdout.utf8))
                as? [String: Any]
            #expect(direct?["deadLetters"] as? Int == 2)
            let table = try daemon.command(["status", "--tenant", "default"])
            #expect(table.status == 0, "\(table.output)")
            #expect(table.stdout.contains("running (tenant default)"), "\(table.stdout)")
            #expect(table.stdout.contains("dead letters"), "\(table.stdout)")
            #expect(table.stdout.contains("writes left this minute"), "\(table.stdout)")

            // Listing, running.
            let dead = try object(daemon.command(["deadletters", "list", "--json"]))
            #expect(dead["daemon"] as? String == "running")
            #expect(dead["total"] as? Int == 2)
            let letters = jobs(dead)
            #expect(Set(letters.compactMap { $0["queue"] as? String }) == ["inbox", "outbox"])
            let outboxLetter = try #require(letters.first { $0["queue"] as? String == "outbox" })
            let inboxLetter = try #require(letters.first { $0["queue"] as? String == "inbox" })
            let outboxID = try #require(outboxLetter["id"] as? Int)
            let inboxID = try #require(inboxLetter["id"] as? Int)
            #expect((outboxLetter["lastError"] as? String)?.contains("patient_phone") == true, "\(outboxLetter)")
            #expect(outboxLetter["state"] as? String == "dead")
            #expect(inboxLetter["kind"] as? String == "slot-booked")
            #expect(inboxLetter["finishedAt"] is String)
            let outboxDead = try object(
                daemon.command(["queue", "list", "--queue", "outbox", "--state", "dead", "--json"]))
            #expect(jobs(outboxDead).map { $0["id"] as? Int } == [outboxID])
            let limited = try object(daemon.command(["queue", "list", "--state", "dead", "--limit", "1", "--json"]))
            #expect(jobs(limited).count == 1)
            #expect(limited["total"] as? Int == 2)
            let humanList = try daemon.command(["deadletters", "list"])
            #expect(humanList.stdout.contains("patient_phone"), "\(humanList.output)")
            #expect(humanList.stdout.hasPrefix("QUEUE"), "\(humanList.output)")

            // Showing, running: everything stored about the job.
            let shown = try object(daemon.command(["queue", "show", "\(outboxID)", "--queue", "outbox", "--json"]))
            #expect(shown["id"] as? Int == outboxID)
            #expect(shown["state"] as? String == "dead")
            #expect(shown["kind"] as? String == "booking")
            #expect(shown["attempts"] as? Int == 1)
            #expect((shown["key"] as? String)?.isEmpty == false)
            #expect(shown["orderingKey"] is String)
            #expect(shown["createdAt"] is String && shown["finishedAt"] is String)
            #expect((shown["lastError"] as? String)?.contains("patient_phone") == true)
            let payload = try #require(shown["payload"] as? String)
            #expect(try JSONSerialization.jsonObject(with: Data(payload.utf8)) is [String: Any], "\(payload)")
            expectOneLineError(
                try daemon.command(["queue", "show", "999", "--queue", "outbox"]), "no job 999 in the outbox")

            // Stopped (SIGTERM): the same store, read and changed directly.
            daemon.stop()
            let stopped = try object(daemon.command(["status", "--json"]))
            #expect(stopped["daemon"] as? String == "stopped")
            #expect(stopped["lastPing"] as? String == lastPing, "the last ping was kept in the store")
            #expect(stopped["deadLetters"] as? Int == 2)
            #expect(stopped["uptimeSeconds"] is NSNull)
            #expect(stopped["rateLimits"] is NSNull)
            #expect(stopped["acceptingEvents"] as? Bool == false)
            let stoppedTable = try daemon.command(["status"])
            #expect(stoppedTable.stdout.contains("stopped"), "\(stoppedTable.output)")
            let stoppedList = try object(daemon.command(["deadletters", "list", "--json"]))
            #expect(stoppedList["daemon"] as? String == "stopped")
            #expect(Set(jobs(stoppedList).compactMap { $0["id"] as? Int }) == Set([outboxID, inboxID]))
            let stoppedShow = try object(daemon.command(["queue", "show", "\(inboxID)", "--queue", "inbox", "--json"]))
            #expect(stoppedShow["source"] as? String == "127.0.0.1")
            #expect((stoppedShow["payload"] as? String)?.contains("slot-booked") == true)

            let replayed = try object(
                daemon.command(["deadletters", "replay", "\(outboxID)", "--queue", "outbox", "--json"]))
            #expect(replayed["action"] as? String == "replayed")
            #expect(replayed["count"] as? Int == 1)
            let pending = try object(daemon.command(["queue", "show", "\(outboxID)", "--queue", "outbox", "--json"]))
            #expect(pending["state"] as? String == "pending")
            #expect(pending["attempts"] as? Int == 0)
            #expect(pending["lastError"] is String, "the reason stays visible until the next attempt")

            let retried = try object(daemon.command(["queue", "retry", "\(inboxID)", "--queue", "inbox", "--json"]))
            #expect(retried["previousState"] as? String == "dead")
            #expect(retried["state"] as? String == "pending")

            // A purge that cannot be done whole deletes nothing.
            expectOneLineError(
                try daemon.command(["deadletters", "purge", "\(inboxID)", "--queue", "inbox"]),
                "inbox job \(inboxID) is pending: only dead letters can be purged")
            expectOneLineError(
                try daemon.command(["queue", "purge", "\(outboxID)", "4242", "--queue", "outbox"]), "no job 4242")
            expectOneLineError(try daemon.command(["queue", "purge", "--all"]), "--all would delete 2 job(s)")
            expectOneLineError(try daemon.command(["queue", "purge"]), "give their ids, or --all")
            #expect(try object(daemon.command(["status", "--json"]))["pending"] as? Int == 2)

            let purged = try object(daemon.command(["queue", "purge", "\(outboxID)", "--queue", "outbox", "--json"]))
            #expect(purged["action"] as? String == "purged")
            #expect((purged["jobs"] as? [[String: Any]])?.first?["id"] as? Int == outboxID)
            expectOneLineError(
                try daemon.command(["queue", "show", "\(outboxID)", "--queue", "outbox"]),
                "no job \(outboxID) in the outbox")
            let purgedAll = try object(daemon.command(["queue", "purge", "--all", "--yes", "--json"]))
            #expect(purgedAll["count"] as? Int == 1)
            expectOneLineError(
                try daemon.command(["queue", "show", "\(inboxID)", "--queue", "inbox"]), "no job \(inboxID)")
            let emptied = try object(daemon.command(["status", "--json"]))
            #expect(emptied["pending"] as? Int == 0 && emptied["deadLetters"] as? Int == 0, "\(emptied)")

            // Started again: the daemon takes the store back and still knows the last ping.
            try daemon.start()
            let again = try object(daemon.command(["status", "--json"]))
            #expect(again["daemon"] as? String == "running")
            #expect(again["lastPing"] as? String == lastPing)
            _ = simulator
        }
    }

    @Test func runningDaemonOverAUnixSocketWithATokenThenKilled() throws {
        let socketDirectory = try TemporaryDirectory()
        defer { socketDirectory.remove() }
        let socket = socketDirectory.file("admin.sock")
        let daemon = try RunningDaemon(extraEnvironment: [
            "DPBRIDGE_LISTEN_ADMIN_SOCKET": socket, "DPBRIDGE_LISTEN_ADMIN_TOKEN": "operator-token-1",
        ])
        defer { daemon.stopAndReadLog() }
        _ = try curl(["-H", "Content-Type: application/json", "-d", Self.eventWithoutBooking, daemon.callbackURL])

        var list: [String: Any] = [:]
        #expect(
            try eventually {
                list = try object(daemon.command(["deadletters", "list", "--json"]))
                return jobs(list).count == 1
            }, "\(list)")
        let id = try #require(jobs(list).first?["id"] as? Int)
        #expect(jobs(list).first?["queue"] as? String == "inbox")
        let status = try object(daemon.command(["status", "--json"]))
        #expect(status["daemon"] as? String == "running")
        #expect(status["deadLetters"] as? Int == 1)
        // No ping yet: status says so; the token was never fetched (no Docplanner here).
        #expect(status["lastPing"] is NSNull)
        #expect(status["oauthTokenExpiresAt"] is NSNull)
        let table = try daemon.command(["status"])
        #expect(table.stdout.contains("none recorded") && table.stdout.contains("none fetched yet"), "\(table.stdout)")

        // The token is needed for the job routes.
        expectOneLineError(
            try daemon.command(["deadletters", "list"], environment: ["DPBRIDGE_LISTEN_ADMIN_TOKEN": "wrong"]),
            "refused the token")
        let refused = try curl([
            "--unix-socket", socket, "-o", "/dev/null", "-w", "%{http_code}", "http://localhost/jobs",
        ])
        #expect(refused.stdout == "401")
        // The admin API directly: a selection with only ids, an unknown one, a bad body.
        func post(_ path: String, _ body: String) throws -> String {
            try curl([
                "--unix-socket", socket, "-H", "Authorization: Bearer operator-token-1", "-d", body, "-w",
                " %{http_code}",
                "http://localhost\(path)?tenant=default",
            ]).stdout
        }
        #expect(
            try post("/jobs/purge", #"{"ids":[424242]}"#)
                == #"{"error":"no job 424242 in the inbox or the outbox"} 404"#)
        #expect(try post("/deadletters/replay", "nonsense").hasSuffix(" 400"))
        #expect(
            try post("/jobs/purge", #"{"all":true,"ids":[1]}"#)
                == #"{"error":"give job ids or --all, not both"} 400"#)

        let shown = try object(daemon.command(["queue", "show", "\(id)", "--json"]))
        #expect(shown["queue"] as? String == "inbox")
        #expect(shown["lastError"] as? String == "slot-booked without a booking id", "\(shown)")

        // Retried: pending again, and the inbound worker makes it a dead letter again.
        let retried = try object(daemon.command(["queue", "retry", "\(id)", "--json"]))
        #expect(retried["previousState"] as? String == "dead")
        #expect(
            try eventually {
                let job = try object(daemon.command(["queue", "show", "\(id)", "--json"]))
                return job["state"] as? String == "dead" && job["attempts"] as? Int == 1
            })
        let replayed = try object(daemon.command(["deadletters", "replay", "--all", "--json"]))
        #expect((replayed["jobs"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
        #expect(
            try eventually {
                try object(daemon.command(["queue", "show", "\(id)", "--json"]))["state"] as? String == "dead"
            })
        expectOneLineError(try daemon.command(["deadletters", "purge", "--all"]), "add --yes")
        let purged = try object(daemon.command(["deadletters", "purge", "--all", "--yes", "--json"]))
        #expect(purged["count"] as? Int == 1)
        #expect(jobs(try object(daemon.command(["deadletters", "list", "--json"]))).isEmpty)
        #expect(try daemon.command(["deadletters", "list"]).stdout == "no dead letters\n")

        // Killed (SIGKILL): the kernel drops the lock and the commands read the store.
        _ = try curl([
            "-H", "Content-Type: application/json", "-d",
            Self.eventWithoutBooking.replacingOccurrences(
                of: "2026-11-25", with: "2026-11-26"), daemon.callbackURL,
        ])
        #expect(
            try eventually {
                try object(daemon.command(["status", "--json"]))["deadLetters"] as? Int == 1
            })
        daemon.kill()
        let stopped = try object(daemon.command(["status", "--json"]))
        #expect(stopped["daemon"] as? String == "stopped")
        #expect(stopped["deadLetters"] as? Int == 1)
        #expect(stopped["pingWarning"] as? String == "no ping from Docplanner recorded, and the daemon is stopped")
        let killedList = try object(daemon.command(["queue", "list", "--state", "dead", "--json"]))
        #expect(killedList["daemon"] as? String == "stopped")
        #expect(jobs(killedList).count == 1)
    }

    @Test func errorsAreOneLineAndChangeNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("state/dpbridge.sqlite")
        let config = try directory.write(
            "dpbridge.yaml",
            """
            callback: {secret: operator-test-secret-1234}
            docplanner: {domain: znanylekarz.pl, client_id: x, client_secret: y, base_url: "http://127.0.0.1:9"}
            store: {path: \(store)}
            listen: {public: {port: \(freeLoopbackPort())}, admin: {address: 127.0.0.1, port: \(freeLoopbackPort())}}
            """)
        func run(_ arguments: [String]) throws -> ProcessResult { try dpbridge(arguments + ["--config", config]) }

        expectOneLineError(try run(["status"]), "no store at \(store)")
        expectOneLineError(try run(["status", "--tenant", "clinic-b"]), #"unknown tenant "clinic-b""#)
        expectOneLineError(
            try dpbridge(["status", "--config", directory.file("missing.yaml")]), "configuration: ")

        // A store file that is not a database: reported, left as it is.
        try FileManager.default.createDirectory(atPath: directory.file("state"), withIntermediateDirectories: true)
        try Data("not a database, but keep me".utf8).write(to: URL(fileURLWithPath: store))
        expectOneLineError(try run(["queue", "list"]), "cannot read the store at \(store)")
        #expect(try String(contentsOfFile: store, encoding: .utf8) == "not a database, but keep me")
        try FileManager.default.removeItem(atPath: store)

        // A store whose lock is held, by someone who does not answer as a daemon would
        // (here this test process: a flock is per open file, so the command sees it held).
        _ = try sqlite(store, "PRAGMA user_version")
        let lock = open(store + ".lock", O_RDWR | O_CREAT, 0o640)
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        expectOneLineError(try run(["status"]), "holds \(store).lock but its admin listener at 127.0.0.1:")
        expectOneLineError(try run(["queue", "purge", "--all", "--yes"]), "does not answer")
        close(lock)

        // Bad arguments.
        expectOneLineError(try run(["queue", "list", "--state", "bogus"]), "--state must be one of")
        expectOneLineError(try run(["queue", "list", "--queue", "sideways"]), "--queue must be inbox or outbox")
        expectOneLineError(try run(["queue", "list", "--limit", "0"]), "--limit must be between 1 and 10000")
        expectOneLineError(try run(["queue", "show", "abc"]), "abc")
        expectOneLineError(try run(["queue", "show"]), "Missing expected argument")
        expectOneLineError(try run(["queue", "purge", "1", "--all", "--yes"]), "give job ids or --all, not both")
        expectOneLineError(
            try run(["queue", "purge", "--all", "--yes", "--state", "in-flight"]), "cannot be chosen here")
        expectOneLineError(try run(["deadletters", "replay"]), "give their ids, or --all")
        expectOneLineError(try run(["queue", "retry", "7"]), "no job 7 in the inbox or the outbox")
        // The store was opened (and migrated) by the commands, never broken by them.
        #expect(try sqlite(store, "PRAGMA user_version") != "0")
    }
}
