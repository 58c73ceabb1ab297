import Foundation
import Partner
import SQLite
import Store
import TestSupport
import Testing

@Suite final class EmbeddedPartnerTests {
    let directory: TemporaryDirectory
    let partner: EmbeddedPartner
    let testCalendar: TestCalendar
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-partner")
        testCalendar = try TestCalendar(in: directory)
        partner = testCalendar.partner
    }

    deinit { directory.remove() }

    func booking(_ id: String, at hour: Int = 10, minutes: Int = 30) -> PartnerBooking {
        let start = Date(timeIntervalSince1970: 1_800_000_000 + Double(hour) * 3600)
        return PartnerBooking(
            docplannerID: id, calendar: calendar, startAt: "start-\(hour)", endAt: "end-\(hour)", start: start,
            end: start.addingTimeInterval(Double(minutes) * 60), serviceName: "consultation",
            patient: PartnerPatient(name: "Jan", surname: "Kowalski"))
    }

    func time(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + seconds) }

    @Test func bookedThenCanceled() throws {
        #expect(try partner.apply([.booked(booking("b1"))], eventKey: "k1", eventTime: time(1)))
        #expect(try partner.booking(docplannerID: "b1")?.status == .booked)
        #expect(try partner.apply([.canceled(booking("b1"))], eventKey: "k2", eventTime: time(2)))
        let stored = try #require(try partner.booking(docplannerID: "b1"))
        #expect(stored.status == .canceled)
        #expect(stored.patient?.surname == "Kowalski")
    }

    @Test func cancelArrivingBeforeTheBookingEndsCanceled() throws {
        var canceled = booking("b2")
        canceled.patient = nil
        #expect(try partner.apply([.canceled(canceled)], eventKey: "k-cancel", eventTime: time(20)))
        #expect(try partner.apply([.booked(booking("b2"))], eventKey: "k-book", eventTime: time(10)))
        let stored = try #require(try partner.booking(docplannerID: "b2"))
        #expect(stored.status == .canceled)
        #expect(stored.patient?.name == "Jan", "the late event still fills in details")
    }

    @Test func sameEventTwiceChangesNothing() throws {
        #expect(try partner.apply([.booked(booking("b3"))], eventKey: "same", eventTime: time(1)))
        #expect(try partner.apply([.canceled(booking("b3"))], eventKey: "same", eventTime: time(2)) == false)
        #expect(try partner.booking(docplannerID: "b3")?.status == .booked)
    }

    @Test func moveEndsTheOldBookingAndCreatesTheNew() throws {
        _ = try partner.apply([.booked(booking("old"))], eventKey: "a", eventTime: time(1))
        _ = try partner.apply(
            [.moved(old: booking("old"), new: booking("new", at: 12))], eventKey: "b", eventTime: time(2))
        let old = try #require(try partner.booking(docplannerID: "old"))
        let new = try #require(try partner.booking(docplannerID: "new"))
        #expect(old.status == .moved && old.movedTo == "new")
        #expect(new.status == .booked && new.movedFrom == "old")
        #expect(try partner.isFree(calendar, start: booking("x").start!, end: booking("x").end!, ignoring: nil))
        #expect(
            try !partner.isFree(
                calendar, start: booking("x", at: 12).start!, end: booking("x", at: 12).end!, ignoring: nil))
    }

    @Test func presenceAndPaymentBeforeTheBookingAreKept() throws {
        _ = try partner.apply(
            [.presence(bookingID: "b4", calendar: calendar, presence: "PRESENT")], eventKey: "p", eventTime: time(5))
        _ = try partner.apply(
            [.paymentStatus(bookingID: "b4", calendar: calendar, status: "paid")], eventKey: "q", eventTime: time(6))
        _ = try partner.apply([.booked(booking("b4"))], eventKey: "r", eventTime: time(1))
        _ = try partner.apply(
            [.presence(bookingID: "b4", calendar: calendar, presence: "ABSENT")], eventKey: "s", eventTime: time(2))
        let stored = try #require(try partner.booking(docplannerID: "b4"))
        #expect(stored.status == .booked)
        #expect(stored.presence == "PRESENT", "an older presence does not overwrite a newer one")
        #expect(stored.paymentStatus == "paid")
        #expect(stored.startAt == "start-10")
    }

    @Test func confirmationKeepsTheStatusAndSetsTheFlag() throws {
        _ = try partner.apply([.canceled(booking("b5"))], eventKey: "c", eventTime: time(9))
        _ = try partner.apply([.confirmed(booking("b5"))], eventKey: "d", eventTime: time(3))
        let stored = try #require(try partner.booking(docplannerID: "b5"))
        #expect(stored.status == .canceled)
        #expect(stored.confirmed)
    }

    @Test func freeTimeAccountsForBookingsBreaksAndTheMovingBooking() throws {
        let visit = booking("b6", at: 9)
        #expect(try partner.isFree(calendar, start: visit.start!, end: visit.end!, ignoring: nil))
        _ = try partner.apply([.booked(visit)], eventKey: "e", eventTime: time(1))
        #expect(
            try !partner.isFree(calendar, start: visit.start!.addingTimeInterval(600), end: visit.end!, ignoring: nil))
        #expect(
            try partner.isFree(calendar, start: visit.end!, end: visit.end!.addingTimeInterval(1800), ignoring: nil))
        #expect(try partner.isFree(calendar, start: visit.start!, end: visit.end!, ignoring: "b6"))
        let other = CalendarRef(facilityID: "1", doctorID: "234", addressID: "111")
        #expect(try partner.isFree(other, start: visit.start!, end: visit.end!, ignoring: nil))

        let pause = PartnerBreak(
            docplannerID: "br1", calendar: calendar, since: "s", till: "t", sinceDate: visit.end!,
            tillDate: visit.end!.addingTimeInterval(3600))
        _ = try partner.apply([.breakSet(pause)], eventKey: "f", eventTime: time(1))
        #expect(
            try !partner.isFree(calendar, start: visit.end!, end: visit.end!.addingTimeInterval(600), ignoring: nil))
        _ = try partner.apply([.breakRemoved(pause)], eventKey: "g", eventTime: time(2))
        #expect(try partner.isFree(calendar, start: visit.end!, end: visit.end!.addingTimeInterval(600), ignoring: nil))
        _ = try partner.apply([.breakSet(pause)], eventKey: "h", eventTime: time(1.5))
        #expect(
            try partner.isFree(calendar, start: visit.end!, end: visit.end!.addingTimeInterval(600), ignoring: nil),
            "a late break-created does not revive a removed break")
    }

    @Test func freeTimeSeesLongAndClinicWrittenRowsAmongAHistory() throws {
        let clinic = try testCalendar.clinic()
        // Two years of half-hour visits, then what must still be seen among them: a booking
        // of three days, one whose start_ts the clinic software set to NULL (start_at
        // stays), and a break of two days.
        try clinic.execute("BEGIN")
        for day in 0..<730 {
            try clinic.prepare(
                "INSERT INTO bookings (facility_id, doctor_id, address_id, start_ts, end_ts) VALUES ('1', '123', '111', ?, ?)"
            ).run([.real(1_700_000_000 + Double(day) * 86400), .real(1_700_001_800 + Double(day) * 86400)])
        }
        try clinic.execute(
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at)
                VALUES ('1', '123', '111', '2027-03-01T10:00:00Z', '2027-03-04T10:00:00Z');
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at)
                VALUES ('1', '123', '111', '2027-04-01T10:00:00Z', '2027-04-01T10:30:00Z');
            UPDATE bookings SET start_ts = NULL WHERE start_at = '2027-04-01T10:00:00Z';
            INSERT INTO breaks (facility_id, doctor_id, address_id, since, till)
                VALUES ('1', '123', '111', '2027-05-01T00:00:00Z', '2027-05-03T00:00:00Z');
            COMMIT;
            """)
        func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        func free(_ start: String, _ end: String) throws -> Bool {
            try partner.isFree(calendar, start: date(start), end: date(end), ignoring: nil)
        }
        #expect(try !free("2027-03-03T09:00:00Z", "2027-03-03T09:30:00Z"), "inside the three-day booking")
        #expect(try free("2027-03-04T10:00:00Z", "2027-03-04T10:30:00Z"), "right after it")
        #expect(try !free("2027-04-01T10:15:00Z", "2027-04-01T10:45:00Z"), "the booking without start_ts")
        #expect(try !free("2027-05-02T12:00:00Z", "2027-05-02T12:30:00Z"), "inside the two-day break")
        #expect(try free("2027-05-03T00:00:00Z", "2027-05-03T00:30:00Z"), "right after it")
        // The queries read an index range near the time asked, not the calendar's history
        // (SQLite's plan; PostgreSQL's planner chooses by its statistics).
        guard !TestCalendar.onPostgres else { return }
        for query in [EmbeddedPartner.overlappingBookings, EmbeddedPartner.overlappingBreaks] {
            let details = try clinic.textRows("EXPLAIN QUERY PLAN " + query, columns: 4).map { $0[3] }
            #expect(
                details.contains {
                    $0.contains("USING INDEX bookings_by_start") || $0.contains("USING INDEX breaks_by_since")
                })
            #expect(details.contains { $0.contains("_by_length") }, "\(details)")
            #expect(!details.contains { $0.hasPrefix("SCAN") }, "\(details)")
        }
    }

    @Test func clinicChangesAreLoggedAndDocplannersAreNot() throws {
        _ = try partner.apply([.booked(booking("b7"))], eventKey: "i", eventTime: time(1))
        let clinic = try testCalendar.clinic()
        #expect(try clinic.scalar("SELECT count(*) FROM change_log") == 0)
        try clinic.execute(
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, start_ts, end_ts, patient_name)
            VALUES ('1', '123', '111', 'a', 'b', 1800100000, 1800101800, 'Ewa');
            UPDATE bookings SET status = 'canceled' WHERE docplanner_booking_id = 'b7';
            INSERT INTO breaks (facility_id, doctor_id, address_id, since_ts, till_ts) VALUES ('1', '123', '111', 1, 2);
            """)
        #expect(try clinic.scalar("SELECT count(*) FROM change_log") == 3)
        #expect(
            try clinic.scalar("SELECT count(*) FROM change_log WHERE operation = 'update' AND table_name = 'bookings'")
                == 1)
        #expect(try clinic.scalar("SELECT applying FROM dpbridge_session") == 0)
        #expect(
            try !partner.isFree(
                calendar, start: Date(timeIntervalSince1970: 1_800_100_000),
                end: Date(timeIntervalSince1970: 1_800_100_600), ignoring: nil), "clinic bookings count as taken")
    }

    @Test func addressServicesAndAddressesFollowTheirEvents() throws {
        let service = PartnerAddressService(
            docplannerID: "as1", calendar: calendar, serviceID: "45", name: "USG", price: 100, duration: 20)
        _ = try partner.apply([.addressServiceSet(service)], eventKey: "j", eventTime: time(1))
        _ = try partner.apply([.addressServiceDeleted(service)], eventKey: "k", eventTime: time(2))
        _ = try partner.apply(
            [.address(calendar: calendar, assigned: false, commercialType: nil)], eventKey: "l", eventTime: time(3))
        _ = try partner.apply(
            [.address(calendar: calendar, assigned: nil, commercialType: "premium")], eventKey: "m", eventTime: time(4))
        let clinic = try testCalendar.clinic()
        #expect(
            try clinic.scalar("SELECT deleted FROM address_services WHERE docplanner_address_service_id = 'as1'") == 1)
        #expect(try clinic.scalar("SELECT price FROM address_services") == 100)
        #expect(
            try clinic.scalar("SELECT count(*) FROM addresses WHERE assigned = 0 AND commercial_type = 'premium'") == 1)
    }

    @Test func aConnectionClosedBetweenUsesIsOpenedAgainByTheNext() throws {
        let connections = OpenConnections(limit: 10)
        let path = directory.file("reopened.sqlite")
        let partner = try EmbeddedPartner(path: path, connections: connections)
        #expect(try partner.apply([.booked(booking("b1"))], eventKey: "k1", eventTime: time(1)))
        let mark = connections.mark()
        #expect(connections.closeUnused(since: mark - 1) == 0, "used after that mark")
        #expect(connections.closeUnused(since: mark) == 1)
        #expect(!partner.isOpen)
        #expect(connections.openCount == 0)
        // The clinic writes while dpbridge's connection is closed.
        let clinic = try Database(path: path)
        try clinic.execute("UPDATE bookings SET comment = 'seen by the clinic'")
        let logged = try clinic.scalar("SELECT count(*) FROM change_log")
        #expect(logged >= 1)
        let reopened = try #require(try partner.booking(docplannerID: "b1"))
        #expect(partner.isOpen)
        #expect(connections.openCount == 1)
        #expect(reopened.comment == "seen by the clinic")
        // The session flag and the change log work on the new connection as on the first.
        #expect(try partner.apply([.canceled(booking("b1"))], eventKey: "k2", eventTime: time(2)))
        #expect(try partner.hasApplied(eventKey: "k1"))
        #expect(try clinic.scalar("SELECT count(*) FROM change_log") == logged)
    }

    @Test func openingBeyondTheLimitClosesTheLeastRecentlyUsedCalendar() throws {
        let connections = OpenConnections(limit: 2)
        let a = try EmbeddedPartner(path: directory.file("a.sqlite"), connections: connections)
        let b = try EmbeddedPartner(path: directory.file("b.sqlite"), connections: connections)
        _ = try a.hasApplied(eventKey: "k")  // a is now the more recently used
        let c = try EmbeddedPartner(path: directory.file("c.sqlite"), connections: connections)
        #expect(a.isOpen && !b.isOpen && c.isOpen)
        #expect(try !b.hasApplied(eventKey: "k"))  // b opens again and a (least recent) closes
        #expect(!a.isOpen && b.isOpen && c.isOpen)
        #expect(connections.openCount == 2)
    }

    @Test func aCalendarRemovedWhileClosedIsAClearErrorAtItsNextUse() throws {
        let connections = OpenConnections(limit: 10)
        try FileManager.default.createDirectory(atPath: directory.file("gone"), withIntermediateDirectories: false)
        let gone = try EmbeddedPartner(path: directory.file("gone/partner.sqlite"), connections: connections)
        #expect(gone.closeUnlessBusy())
        try FileManager.default.removeItem(atPath: directory.file("gone"))
        #expect(throws: PartnerError.self) { try gone.hasApplied(eventKey: "k") }
        #expect(!gone.isOpen)
        #expect(connections.openCount == 0)
    }

    @Test func unopenablePathIsAClearError() {
        #expect(throws: PartnerError.self) { try EmbeddedPartner(path: "/proc/nonexistent/dir/partner.sqlite") }
    }
}
