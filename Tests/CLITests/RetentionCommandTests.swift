import Foundation
import TestSupport
import Testing

/// Patients' data kept no longer than needed, as an operator sees it: `dpbridge
/// quarantine …` and `dpbridge erase` against a running daemon and against its files
/// once it is stopped, and the retention run at the daemon's start.
@Suite(.serialized) struct RetentionCommandTests {
    let commands = OperatorCommandTests()

    /// A patient's `slot-booked` for doctor 123 at address 111, as Docplanner pushes it.
    static func slotBooked(booking: String, name: String, phone: String, email: String, comment: String) -> String {
        """
        {"name":"slot-booked","data":{"facility":{"id":"1"},"doctor":{"id":"123"},"address":{"id":"111"},\
        "visit_booking":{"id":"\(booking)","status":"booked","start_at":"\(warsawTime(days: 3, hour: 10))",\
        "end_at":"\(warsawTime(days: 3, hour: 10, minute: 30))","address_service":{"id":"101"},\
        "patient":{"name":"\(name)","surname":"Lincoln","email":"\(email)","phone":"\(phone)"},\
        "comment":"\(comment)"}},"created_at":"2026-11-25T10:00:0\(booking.suffix(1))+01:00"}
        """
    }

    func post(_ daemon: RunningDaemon, _ body: String) throws -> String {
        try curl([
            "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "-d", body,
            daemon.callbackURL,
        ])
        .stdout
    }

    /// The bytes of an SQLite file and its write-ahead log, as text (bytes past ASCII as `?`).
    func fileText(_ path: String) throws -> String {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes += FileManager.default.contents(atPath: path + "-wal") ?? Data()
        return String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
    }

    @Test func quarantineListShowPurgeRunningThenStopped() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stopAndReadLog() }
        #expect(try post(daemon, "first body, not JSON") == "400")
        #expect(try post(daemon, "[1, 2, 3]") == "400")

        let list = try commands.object(daemon.command(["quarantine", "list", "--json"]))
        #expect(list["daemon"] as? String == "running" && list["total"] as? Int == 2)
        let entries = try #require(list["entries"] as? [[String: Any]])
        #expect(entries.map { $0["bytes"] as? Int } == [9, 20], "newest first")
        #expect(entries.allSatisfy { $0["source"] as? String == "127.0.0.1" && $0["reason"] is String })
        let newest = try #require(entries.first?["id"] as? Int)
        let oldest = try #require(entries.last?["id"] as? Int)
        let table = try daemon.command(["quarantine", "list"])
        #expect(table.stdout.hasPrefix("ID") && table.stdout.contains("127.0.0.1"), "\(table.output)")

        // A body that is not JSON may hold anything: withheld unless asked for.
        let withheld = try commands.object(daemon.command(["quarantine", "show", "\(oldest)", "--json"]))
        #expect((withheld["body"] as? String)?.contains("20 bytes withheld") == true, "\(withheld)")
        #expect(withheld["bodyBase64"] == nil)
        let shown = try commands.object(
            daemon.command(["quarantine", "show", "\(oldest)", "--json", "--reveal-patient-data"]))
        #expect(shown["body"] as? String == "first body, not JSON")
        #expect(shown["bodyBase64"] as? String == Data("first body, not JSON".utf8).base64EncodedString())
        let shownText = try daemon.command(["quarantine", "show", "\(newest)"])
        #expect(shownText.stdout.hasSuffix("body:\n[1,2,3]\n"), "\(shownText.output)")

        commands.expectOneLineError(try daemon.command(["quarantine", "show", "999"]), "no quarantined body 999")
        commands.expectOneLineError(try daemon.command(["quarantine", "purge"]), "give their ids, or --all")
        commands.expectOneLineError(
            try daemon.command(["quarantine", "purge", "--all"]),
            "--all would delete 2 quarantined body(ies): add --yes")
        commands.expectOneLineError(
            try daemon.command(["quarantine", "purge", "\(oldest)", "999"]), "no quarantined body 999")
        #expect(
            try commands.object(daemon.command(["quarantine", "list", "--json"]))["total"] as? Int == 2, "all or none")

        let purged = try commands.object(daemon.command(["quarantine", "purge", "\(oldest)", "--json"]))
        #expect(purged["count"] as? Int == 1 && purged["ids"] as? [Int] == [oldest])

        daemon.stop()
        let stopped = try commands.object(daemon.command(["quarantine", "list", "--json"]))
        #expect(stopped["daemon"] as? String == "stopped" && stopped["total"] as? Int == 1)
        #expect(
            try commands.object(daemon.command(["quarantine", "show", "\(newest)", "--json"]))["body"] as? String
                == "[1,2,3]")
        let all = try commands.object(daemon.command(["quarantine", "purge", "--all", "--yes", "--json"]))
        #expect(all["ids"] as? [Int] == [newest])
        #expect(try daemon.command(["quarantine", "list"]).stdout == "no quarantined bodies\n")
    }

    @Test func eraseOnePatientRunningThenStopped() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stopAndReadLog() }
        let store = daemon.directory.file("state/dpbridge.sqlite")
        #expect(
            try post(
                daemon,
                Self.slotBooked(
                    booking: "7001", name: "Abraham", phone: "+48 500 100 200", email: "abe@example.com",
                    comment: "knee hurts"))
                == "200")
        #expect(
            try post(
                daemon,
                Self.slotBooked(
                    booking: "7002", name: "Mary", phone: "+48600700800", email: "mary@example.com",
                    comment: "a follow-up"))
                == "200")
        #expect(try post(daemon, "garbage from abe@example.com") == "400")
        func booking(_ id: String, _ column: String) throws -> String {
            try sqlite(
                daemon.calendarPath,
                "SELECT coalesce(\(column), 'NULL') FROM bookings WHERE docplanner_booking_id = '\(id)'")
        }
        #expect(
            try eventually {
                try booking("7001", "patient_name") == "Abraham" && booking("7002", "patient_name") == "Mary"
                    && sqlite(store, "SELECT count(*) FROM inbox WHERE state = 'done'") == "2"
            }, "\(daemon.log)")

        // A dry run: counts, changes nothing.
        let dry = try commands.object(daemon.command(["erase", "--patient-phone", "500100200", "--json"]))
        #expect(dry["erased"] as? Bool == false && dry["daemon"] as? String == "running")
        #expect(dry["inboxJobs"] as? Int == 1 && dry["outboxJobs"] as? Int == 0)
        #expect(dry["quarantined"] as? Int == 0 && dry["bookings"] as? Int == 1 && dry["inFlight"] as? Int == 0)
        #expect(dry["calendar"] as? String == daemon.calendarPath)
        #expect(try booking("7001", "patient_name") == "Abraham")
        let dryText = try daemon.command(["erase", "--patient-email", "ABE@example.com"])
        #expect(
            dryText.stdout.hasPrefix("dry run, nothing changed") && dryText.stdout.contains("add --yes"),
            "\(dryText.output)")
        #expect(dryText.stdout.contains("quarantined bodies  1"), "\(dryText.output)")

        let erased = try commands.object(
            daemon.command([
                "erase", "--patient-phone", "+48500100200", "--patient-email", "abe@example.com", "--yes", "--json",
            ]))
        #expect(erased["erased"] as? Bool == true)
        #expect(
            erased["inboxJobs"] as? Int == 1 && erased["quarantined"] as? Int == 1 && erased["bookings"] as? Int == 1)
        for column in ["patient_name", "patient_surname", "patient_phone", "patient_email", "comment"] {
            #expect(try booking("7001", column) == "NULL", "\(column)")
        }
        #expect(
            try booking("7001", "status") == "booked" && booking("7001", "start_at") == warsawTime(days: 3, hour: 10))
        #expect(try booking("7002", "patient_phone") == "+48600700800" && booking("7002", "comment") == "a follow-up")
        let jobs = try commands.object(daemon.command(["queue", "list", "--state", "done", "--json"]))
        #expect(commands.jobs(jobs).count == 2, "the events stay, without the patient")
        for file in [store, daemon.calendarPath] {
            let text = try fileText(file)
            #expect(
                !text.contains("Abraham") && !text.contains("abe@example.com") && !text.contains("knee hurts"),
                "\(file)")
            #expect(text.contains("Mary"), "\(file)")
        }
        #expect(daemon.log.contains("event=patient-erased"), "\(daemon.log)")
        #expect(!daemon.log.contains("500 100 200") && !daemon.log.contains("abe@"), "identifiers are never logged")

        commands.expectOneLineError(try daemon.command(["erase"]), "say whose data")
        commands.expectOneLineError(try daemon.command(["erase", "--patient-phone", "12-34"]), "is not a phone number")

        // Stopped: the files directly. The clinic typed the number its own way; a dead
        // letter still holds the patient.
        daemon.stop()
        _ = try sqlite(
            daemon.calendarPath,
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_ts, end_ts, patient_name, patient_phone)
            VALUES ('1', '123', '111', 1800003600, 1800005400, 'Abe', '0048 500 100 200');
            """)
        _ = try sqlite(
            store,
            """
            INSERT INTO inbox (dedup_key, kind, payload, created_at, state, attempts, finished_at, last_error)
            VALUES ('late', 'slot-booked', CAST('{"patient":{"phone":"500-100-200","name":"Abe"}}' AS BLOB), 0, 'dead', 1, 0,
                'no booking id');
            """)
        let stoppedDry = try commands.object(daemon.command(["erase", "--patient-phone", "+48 500 100 200", "--json"]))
        #expect(stoppedDry["daemon"] as? String == "stopped")
        #expect(stoppedDry["inboxJobs"] as? Int == 1 && stoppedDry["bookings"] as? Int == 1)
        let stoppedErase = try commands.object(
            daemon.command(["erase", "--patient-phone", "+48 500 100 200", "--yes", "--json"]))
        #expect(stoppedErase["erased"] as? Bool == true && stoppedErase["bookings"] as? Int == 1)
        #expect(try sqlite(daemon.calendarPath, "SELECT count(*) FROM bookings WHERE patient_name = 'Abe'") == "0")
        #expect(try sqlite(store, "SELECT count(*) FROM inbox WHERE CAST(payload AS TEXT) LIKE '%Abe%'") == "0")
        #expect(
            try sqlite(daemon.calendarPath, "SELECT count(*) FROM change_log WHERE operation = 'update'") == "0",
            "erasing is not a clinic change: nothing for Docplanner")
    }

    /// The daemon applies the retention at start (and hourly): what is past it goes, and
    /// one line says how much.
    @Test func theDaemonDeletesWhatIsPastItsRetentionAtStart() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stopAndReadLog() }
        let store = daemon.directory.file("state/dpbridge.sqlite")
        #expect(
            try post(
                daemon,
                Self.slotBooked(
                    booking: "7101", name: "Abraham", phone: "+48500100200", email: "abe@example.com", comment: "old"))
                == "200")
        #expect(try post(daemon, "not JSON") == "400")
        #expect(try eventually { try sqlite(store, "SELECT count(*) FROM inbox WHERE state = 'done'") == "1" })
        daemon.stop()
        // Finished and received in 1970: long past any retention.
        _ = try sqlite(store, "UPDATE inbox SET finished_at = 1000; UPDATE quarantine SET received_at = 1000;")
        try daemon.start()
        #expect(
            eventually { daemon.log.contains("event=retention") && daemon.log.contains("inbox_done=1") },
            "\(daemon.log)")
        let line = daemon.log.split(separator: "\n").first { $0.contains("inbox_done=1") } ?? ""
        #expect(line.contains("quarantined=1") && line.contains("dead_letters_kept=0"), "\(line)")
        #expect(try sqlite(store, "SELECT count(*) FROM inbox") == "0")
        #expect(try sqlite(store, "SELECT count(*) FROM quarantine") == "0")
    }
}
