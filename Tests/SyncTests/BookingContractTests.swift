import DocplannerAPI
import Foundation
import Logging
import Partner
import SQLite
import Simulator
import Store
import TestSupport
import Testing

@testable import Sync

/// Clinic booking changes against a strict simulator where Docplanner's answers are not
/// the happy ones: a cancel of a booking canceled already (400), and a move retried after
/// its answer was lost (409 "already moved").
@Suite(.serialized) final class BookingContractTests {
    static let zone = TimeZone(secondsFromGMT: 3600)!
    /// 2027-01-18T10:00:00+01:00: a seeded 09:00–13:00 slot three days after the test clock's day.
    static let start = Date(timeIntervalSince1970: 1_800_000_000 - 9 * 3600 + 3 * 86_400 + 10 * 3600)

    let directory: TemporaryDirectory
    let clock = TestClock()
    let simulator: DocplannerSimulator
    let client: DocplannerClient
    let store: Store
    let partner: EmbeddedPartner
    let testCalendar: TestCalendar
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-booking-contract")
        simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(
                clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil, timeZone: Self.zone),
            clock: clock)
        try simulator.start()
        client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: Self.zone),
            clock: clock)
        store = try Store(path: directory.file("store.sqlite"))
        testCalendar = try TestCalendar(in: directory)
        partner = testCalendar.partner
    }

    deinit { directory.remove() }

    func processor() -> OutboundProcessor {
        let clock = clock
        return OutboundProcessor(
            queue: store.outbox, docplanner: client, calendar: partner, horizonWeeks: 12, logger: Logger(label: "test"),
            now: { Date(timeIntervalSince1970: clock.now()) })
    }

    /// A booking made on Docplanner and applied to the clinic calendar (as its event
    /// would be); returns its id and the clinic row.
    func bookedEverywhere(at start: Date) throws -> (id: String, row: Int64) {
        let booking = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: start,
            BookSlotRequest(addressServiceID: "101", duration: 30, patient: Patient(name: "Ola", phone: "+48600700800"))
        )
        let id = try #require(booking.id)
        _ = try partner.apply(
            [
                .booked(
                    PartnerBooking(
                        docplannerID: id, calendar: calendar, start: start, end: start.addingTimeInterval(1800),
                        serviceID: "101"))
            ],
            eventKey: "slot-booked:\(id)", eventTime: Date(timeIntervalSince1970: clock.now()))
        let clinic = try testCalendar.clinic()
        let row = try clinic.scalar("SELECT id FROM bookings WHERE docplanner_booking_id = ?", .text(id))
        // The row names its address service, as clinic software keeps it.
        try clinic.execute(
            "UPDATE dpbridge_session SET applying = 1; UPDATE bookings SET address_service_id = '101' WHERE id = \(row); UPDATE dpbridge_session SET applying = 0;"
        )
        return (id, row)
    }

    @Test func cancelingABookingDocplannerCanceledAlreadyIsDone() throws {
        defer { simulator.stop() }
        let (id, row) = try bookedEverywhere(at: Self.start)
        // The patient canceled on Docplanner; the event is lost. The clinic cancels too.
        try client.cancelBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: id)
        let clinic = try testCalendar.clinic()
        try clinic.execute("UPDATE bookings SET status = 'canceled' WHERE id = \(row)")

        // Docplanner answers the second cancel 400 ("not booked"): done, not a dead letter.
        let sent = try processor().perform(OutboundJob(kind: .booking, calendar: calendar, rowID: row), attempt: 0)
        #expect(sent.calls.isEmpty, "\(sent.calls)")
        #expect(try partner.clinicBooking(rowID: row)?.syncedStatus == .canceled)
        #expect(simulator.snapshot().booking(id)?.status == "canceled")
        // A second run has nothing left to send.
        #expect(
            try processor().perform(OutboundJob(kind: .booking, calendar: calendar, rowID: row), attempt: 1).calls
                .isEmpty)
    }

    @Test func aMoveRetriedAfterItsAnswerWasLostAdoptsTheNewBooking() throws {
        defer { simulator.stop() }
        let (id, row) = try bookedEverywhere(at: Self.start)
        let later = Self.start.addingTimeInterval(3600)
        // The clinic moves the visit to 11:00 …
        let clinic = try testCalendar.clinic()
        try clinic.execute(
            "UPDATE bookings SET start_ts = \(later.timeIntervalSince1970), end_ts = \(later.timeIntervalSince1970 + 1800) WHERE id = \(row)"
        )
        // … a first attempt moved it on Docplanner, but its answer never came back.
        let moved = try client.moveBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: id,
            MoveBookingRequest(addressServiceID: "101", start: client.dateTime(later), duration: 30))
        let newID = try #require(moved.booking.id)
        #expect(newID != id)

        // The retry gets 409 "already moved" and follows booking.moving to the new booking.
        let sent = try processor().perform(OutboundJob(kind: .booking, calendar: calendar, rowID: row), attempt: 1)
        #expect(sent.calls == ["moveBooking", "getBooking", "getBooking"], "\(sent.calls)")
        let after = try #require(try partner.clinicBooking(rowID: row))
        #expect(after.docplannerID == newID)
        #expect(after.syncedStart.map { abs($0.timeIntervalSince(later)) < 1 } == true)
        // Nothing booked twice: one live booking at 11:00, none left at 10:00.
        let live = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: Self.start, end: later.addingTimeInterval(1800)
        ).items.filter { $0.status == "booked" }
        #expect(live.map(\.id) == [newID])
    }

    @Test func aBookingWhoseAnswerWasLostIsFoundWhereItWasMadeThoughTheClinicMovedTheVisit() throws {
        defer { simulator.stop() }
        let clinic = try testCalendar.clinic()
        let start = Self.start.timeIntervalSince1970
        try clinic.execute(
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_ts, end_ts, address_service_id,
                patient_name, patient_phone) VALUES ('1', '123', '111', \(start), \(start + 1800), '101', 'Ewa', '+48600100200')
            """)
        let row = try clinic.scalar("SELECT id FROM bookings WHERE patient_name = 'Ewa'")
        // A first attempt books the visit at 10:00, but its answer is lost: the row keeps
        // only where that attempt was booking it.
        #expect(
            try processor().perform(OutboundJob(kind: .booking, calendar: calendar, rowID: row), attempt: 0).calls == [
                "bookSlot"
            ])
        let first = try #require(try partner.clinicBooking(rowID: row)?.docplannerID)
        try clinic.execute(
            "UPDATE dpbridge_session SET applying = 1; UPDATE bookings SET docplanner_booking_id = NULL, synced_status = NULL WHERE id = \(row); UPDATE dpbridge_session SET applying = 0;"
        )
        // Meanwhile the clinic moves the visit to 11:00.
        let later = Self.start.addingTimeInterval(3600)
        try clinic.execute(
            "UPDATE bookings SET start_ts = \(later.timeIntervalSince1970), end_ts = \(later.timeIntervalSince1970 + 1800) WHERE id = \(row)"
        )

        // The retry finds the booking at 10:00 and moves it, instead of booking 11:00 too.
        let sent = try processor().perform(OutboundJob(kind: .booking, calendar: calendar, rowID: row), attempt: 1)
        #expect(sent.calls == ["getBookings", "moveBooking"], "\(sent.calls)")
        let after = try #require(try partner.clinicBooking(rowID: row))
        #expect(after.docplannerID != nil && after.docplannerID != first)
        #expect(after.syncedStart.map { abs($0.timeIntervalSince(later)) < 1 } == true)
        let live = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: Self.start, end: later.addingTimeInterval(1800)
        ).items.filter { $0.status == "booked" }
        #expect(live.map(\.id) == [after.docplannerID], "one live booking for the visit, at 11:00")
    }
}
