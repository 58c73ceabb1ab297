import Foundation
import SQLite
import Store
import TestSupport
import Testing

@testable import Partner

/// Clinic software may write a break's times as text (`since`, `till`, ISO 8601) or as
/// Unix seconds (`since_ts`, `till_ts`): the embedded calendar's triggers fill in the other
/// spelling on INSERT and keep both in step on UPDATE, either way round; and a calendar
/// from before the INSERT triggers gains the seconds of rows written as text only.
@Suite struct BreakTimeSpellingTests {
    /// 2027-03-01T10:00:00+01:00 and half an hour later.
    static let since = 1_803_891_600.0
    static let till = since + 1800

    func times(_ database: any SQLConnection, _ id: Int64) throws -> (
        since: String, sinceTS: Double, till: String, tillTS: Double
    )? {
        let statement = try database.prepare("SELECT since, since_ts, till, till_ts FROM breaks WHERE id = ?")
        try statement.bind([.integer(id)])
        guard try statement.step() else { return nil }
        // A NULL reads as 0 seconds, or as the text "NULL".
        return (statement.text(0) ?? "NULL", statement.double(1), statement.text(2) ?? "NULL", statement.double(3))
    }

    @Test func insertFillsTheOtherSpellingAndUpdatesKeepThemInStep() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-break-spelling")
        defer { directory.remove() }
        let testCalendar = try TestCalendar(in: directory)
        let clinic = try testCalendar.clinic()
        try clinic.execute(
            """
            INSERT INTO breaks (id, facility_id, doctor_id, address_id, since, till)
                VALUES (1, '1', '123', '111', '2027-03-01T10:00:00+01:00', '2027-03-01T10:30:00+01:00');
            INSERT INTO breaks (id, facility_id, doctor_id, address_id, since_ts, till_ts)
                VALUES (2, '1', '123', '111', \(Self.since), \(Self.till));
            """)
        let text = try #require(try times(clinic, 1))
        #expect(text.sinceTS == Self.since && text.tillTS == Self.till, "\(text)")
        #expect(text.since == "2027-03-01T10:00:00+01:00", "what the clinic wrote stays as written")
        let seconds = try #require(try times(clinic, 2))
        #expect(seconds.since == "2027-03-01T09:00:00Z" && seconds.till == "2027-03-01T09:30:00Z", "\(seconds)")

        // UPDATE of the text only moves the seconds, of the seconds only the text; since and till alike.
        try clinic.execute("UPDATE breaks SET since = '2027-03-01T11:00:00+01:00' WHERE id = 1")
        try clinic.execute("UPDATE breaks SET till = '2027-03-01T11:45:00+01:00' WHERE id = 1")
        let movedText = try #require(try times(clinic, 1))
        #expect(movedText.sinceTS == Self.since + 3600 && movedText.tillTS == Self.since + 6300, "\(movedText)")
        try clinic.execute("UPDATE breaks SET since_ts = since_ts + 7200 WHERE id = 2")
        try clinic.execute("UPDATE breaks SET till_ts = till_ts + 7200 WHERE id = 2")
        let movedSeconds = try #require(try times(clinic, 2))
        #expect(
            movedSeconds.since == "2027-03-01T11:00:00Z" && movedSeconds.till == "2027-03-01T11:30:00Z",
            "\(movedSeconds)")
        #expect(
            try clinic.scalar(
                """
                SELECT count(*) FROM breaks
                WHERE unixepoch(since) IS DISTINCT FROM since_ts OR unixepoch(till) IS DISTINCT FROM till_ts
                """)
                == 0)

        // dpbridge reads the one value: the moved breaks are where the clinic put them.
        let partner = try EmbeddedPartner(location: testCalendar.location)
        let first = try #require(try partner.clinicBreak(rowID: 1))
        let second = try #require(try partner.clinicBreak(rowID: 2))
        #expect(
            first.since?.timeIntervalSince1970 == Self.since + 3600
                && first.till?.timeIntervalSince1970 == Self.since + 6300)
        #expect(
            second.since?.timeIntervalSince1970 == Self.since + 7200
                && second.till?.timeIntervalSince1970 == Self.till + 7200)
    }

    @Test func aCalendarOfVersionThreeGainsTheSecondsOfRowsWrittenAsText() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-spelling-v3")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        do {
            let database = try Database(path: path)
            try Migrator(migrations: Array(EmbeddedSchema.migrations.prefix(3))).migrate(database)
            #expect(try database.scalar("PRAGMA user_version") == 3)
            try database.execute(
                """
                INSERT INTO bookings (id, facility_id, doctor_id, address_id, start_at, end_at, patient_name)
                    VALUES (1, '1', '123', '111', '2027-03-01T10:00:00+01:00', '2027-03-01T10:30:00+01:00', 'Front desk');
                INSERT INTO breaks (id, facility_id, doctor_id, address_id, since, till)
                    VALUES (1, '1', '123', '111', '2027-03-01T12:00:00+01:00', '2027-03-01T12:30:00+01:00');
                """)
            #expect(
                try database.scalar("SELECT count(*) FROM bookings WHERE start_ts IS NULL") == 1,
                "no INSERT trigger yet")
            #expect(try database.scalar("SELECT count(*) FROM breaks WHERE since_ts IS NULL") == 1)
        }
        let partner = try EmbeddedPartner(path: path)
        let database = try Database(path: path)
        #expect(try database.scalar("PRAGMA user_version") == EmbeddedSchema.migrations.count)
        #expect(
            try database.scalar(
                "SELECT count(*) FROM bookings WHERE start_ts = \(Self.since) AND end_ts = \(Self.till)") == 1)
        #expect(
            try database.scalar(
                "SELECT count(*) FROM breaks WHERE since_ts = \(Self.since + 7200) AND till_ts = \(Self.till + 7200)")
                == 1)
        // Filling them in is not a clinic change to send to Docplanner (the rows themselves were).
        let changes = try partner.pendingChanges(limit: 10)
        #expect(changes.filter { $0.operation == "update" }.isEmpty, "\(changes)")
    }
}
