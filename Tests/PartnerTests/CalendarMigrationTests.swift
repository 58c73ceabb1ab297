import Foundation
import SQLite
import TestSupport
import Testing

@testable import Partner

/// Calendar migrations 7 and 8, made for the cost of applying an event. Migration 7 spells
/// the three-value CHECKs of `bookings.status` and `change_log.operation` as comparisons (a
/// list of three values is a temporary table SQLite builds on every run of a statement) by
/// editing the schema's text in place: rows, triggers and indexes stay, the CHECKs still
/// refuse what they refused, and a table whose text the clinic changed is left alone.
/// Migration 8 keeps the applied events in a table without rowid.
@Suite struct CalendarMigrationTests {
    static let insertBooking = """
        INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at, status)
            VALUES ('b2', '1', '123', '111', '2027-03-01T11:00:00+01:00', '2027-03-01T11:30:00+01:00', 'booked')
        """

    /// A calendar at version 6 (`first` replacing migration 1 when given) with one booking
    /// the clinic wrote (so one change_log row).
    func calendarAtVersionSix(_ path: String, first: String? = nil) throws {
        var migrations = Array(EmbeddedSchema.migrations.prefix(6))
        if let first { migrations[0] = first }
        let database = try Database(path: path)
        try Migrator(migrations: migrations).migrate(database)
        try database.execute(
            """
            INSERT INTO bookings (id, facility_id, doctor_id, address_id, start_at, end_at, patient_name, status)
                VALUES (1, '1', '123', '111', '2027-03-01T10:00:00+01:00', '2027-03-01T10:30:00+01:00', 'Front desk',
                    'canceled');
            """)
    }

    /// The opcodes of `sql`'s program.
    func program(_ database: Database, _ sql: String) throws -> [String] {
        try database.textRows("EXPLAIN \(sql)", columns: 2).map { $0[1] }
    }

    @Test func theChecksAreComparisonsAndStillRefuseUnknownValues() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-calendar-checks")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        try calendarAtVersionSix(path)
        #expect(try program(Database(path: path), Self.insertBooking).contains("OpenEphemeral"), "the old spelling")

        // The connection that migrates reads the edited schema at once (RESET).
        let migrating = try Database(path: path, schema: EmbeddedSchema.migrator)
        #expect(try migrating.scalar("PRAGMA user_version") == Int64(EmbeddedSchema.migrations.count))
        #expect(!(try program(migrating, Self.insertBooking).contains("OpenEphemeral")))
        let other = try Database(path: path)
        #expect(!(try program(other, Self.insertBooking).contains("OpenEphemeral")))
        #expect(try other.textRows("PRAGMA integrity_check", columns: 1) == [["ok"]])

        // Rows, triggers and indexes are still there.
        #expect(try other.scalar("SELECT count(*) FROM bookings WHERE id = 1 AND status = 'canceled'") == 1)
        #expect(try other.scalar("SELECT count(*) FROM change_log WHERE operation = 'insert'") == 1)
        try other.execute(Self.insertBooking)
        #expect(try other.scalar("SELECT count(*) FROM change_log WHERE operation = 'insert'") == 2, "trigger kept")
        #expect(
            try other.scalar("SELECT count(*) FROM bookings WHERE docplanner_booking_id = 'b2' AND start_ts > 0") == 1)
        #expect(try other.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'dpbridge_schema_edited'") == 0)

        #expect(throws: SQLiteError.self) { try other.execute("UPDATE bookings SET status = 'lost' WHERE id = 1") }
        #expect(throws: SQLiteError.self) {
            try other.execute(
                "INSERT INTO change_log (table_name, row_id, operation) VALUES ('bookings', 1, 'upsert')")
        }
        for status in ["booked", "canceled", "moved"] {
            try other.execute("UPDATE bookings SET status = '\(status)' WHERE id = 1")
        }
    }

    /// Migration 8 keeps every applied event (its key and time) in a table without rowid.
    @Test func appliedEventsKeepTheirKeysAndTimesWithoutARowid() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-calendar-applied")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        try calendarAtVersionSix(path)
        do {
            let database = try Database(path: path)
            try database.execute(
                """
                INSERT INTO applied_events (event_key, applied_at) VALUES ('slot-booked|visit_booking:1|t', '2026-12-01T10:00:00.000Z');
                INSERT INTO applied_events (event_key) VALUES ('booking-canceled|visit_booking:1|t');
                """)
        }
        let partner = try EmbeddedPartner(path: path)
        #expect(try partner.hasApplied(eventKey: "slot-booked|visit_booking:1|t"))
        #expect(try partner.hasApplied(eventKey: "booking-canceled|visit_booking:1|t"))
        #expect(!(try partner.hasApplied(eventKey: "slot-booked|visit_booking:2|t")))
        let database = try Database(path: path)
        #expect(
            try database.scalar(
                "SELECT count(*) FROM applied_events WHERE event_key = 'slot-booked|visit_booking:1|t' AND applied_at = '2026-12-01T10:00:00.000Z'"
            ) == 1)
        #expect(
            try database.scalar(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'applied_events' AND sql LIKE '%WITHOUT ROWID'") == 1)
        #expect(try database.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'applied_events_by_key'") == 0)
        #expect(throws: SQLiteError.self) { try database.scalar("SELECT rowid FROM applied_events") }
    }

    @Test func aTableTheClinicSpelledOtherwiseIsLeftAsItIs() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-calendar-checks-own")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        let own = EmbeddedSchema.migrations[0].replacingOccurrences(
            of: "CHECK (status IN ('booked', 'canceled', 'moved'))",
            with: "CHECK (status IN ('booked','canceled','moved'))")
        #expect(own != EmbeddedSchema.migrations[0])
        try calendarAtVersionSix(path, first: own)
        _ = try EmbeddedPartner(path: path)
        let database = try Database(path: path)
        #expect(try database.scalar("PRAGMA user_version") == Int64(EmbeddedSchema.migrations.count))
        let definition = try database.textRows("SELECT sql FROM sqlite_schema WHERE name = 'bookings'", columns: 1)
        #expect(definition.first?.first?.contains("CHECK (status IN ('booked','canceled','moved'))") == true)
        #expect(try database.scalar("SELECT count(*) FROM change_log WHERE operation = 'insert'") == 1)
        try database.execute(Self.insertBooking)
        #expect(try database.scalar("SELECT count(*) FROM bookings") == 2)
    }
}
