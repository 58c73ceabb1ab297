import DocplannerAPI
import Foundation
import Partner
import SQLite
import Simulator
import Store
import Sync
import TestSupport
import Testing

/// Drift between Docplanner (a live simulator) and the clinic calendar, repaired by
/// listing Docplanner's bookings: events that never arrived, and a cancel that did not
/// take on Docplanner.
@Suite(.serialized) final class ReconcilerTests {
    let directory: TemporaryDirectory
    let simulator: DocplannerSimulator
    let client: DocplannerClient
    let partner: EmbeddedPartner
    let reconciler: Reconciler
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")
    let warsaw = TimeZone(identifier: "Europe/Warsaw")!

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-reconcile")
        simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil))
        try simulator.start()
        client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: warsaw))
        partner = try EmbeddedPartner(path: directory.file("partner.sqlite"))
        reconciler = Reconciler(docplanner: client, partner: partner, horizonWeeks: 12)
    }

    deinit { directory.remove() }

    /// Tomorrow (in Warsaw) at `hour`.
    func tomorrow(_ hour: Int) -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = warsaw
        let day = gregorian.date(byAdding: .day, value: 4, to: gregorian.startOfDay(for: Date()))!
        return gregorian.date(bySettingHour: hour, minute: 0, second: 0, of: day)!
    }

    func book(at hour: Int) throws -> String {
        try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: tomorrow(hour),
            BookSlotRequest(addressServiceID: "101", duration: 30, patient: Patient(name: "Ola", phone: "+48600700800"))
        ).id!
    }

    @Test func lostEventsAndALostCancelAreRepairedOnceEach() throws {
        defer { simulator.stop() }
        // Docplanner's seeded visits and one more: none reached the clinic calendar.
        let missed = try book(at: 12)
        var repairs = try reconciler.reconcile(calendar, now: Date())
        #expect(
            repairs.contains("booking \(missed) on Docplanner was missing in the clinic calendar: added"), "\(repairs)")
        #expect(try partner.booking(docplannerID: missed)?.status == .booked)
        let seeded = repairs.count - 1
        #expect(seeded >= 1, "the seeded future visits are added too")

        // Canceled on Docplanner, the booking-canceled event lost.
        try client.cancelBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: missed)
        repairs = try reconciler.reconcile(calendar, now: Date())
        #expect(repairs == ["booking \(missed) is canceled on Docplanner: canceled in the clinic calendar"])
        #expect(try partner.booking(docplannerID: missed)?.status == .canceled)

        // The clinic canceled a visit and dpbridge believes it sent the cancel, but Docplanner
        // still has it booked: the cancel is sent again.
        let kept = try book(at: 12)
        _ = try reconciler.reconcile(calendar, now: Date())
        let clinic = try Database(path: directory.file("partner.sqlite"))
        try clinic.execute(
            """
            UPDATE dpbridge_session SET applying = 1;
            UPDATE bookings SET status = 'canceled', synced_status = 'canceled' WHERE docplanner_booking_id = '\(kept)';
            UPDATE dpbridge_session SET applying = 0;
            """)
        repairs = try reconciler.reconcile(calendar, now: Date())
        #expect(repairs == ["booking \(kept) canceled in the clinic was still booked on Docplanner: canceled there"])
        #expect(simulator.snapshot().booking(kept)?.status == "canceled")

        // A clinic change not yet sent is left alone; with nothing adrift, nothing is repaired.
        let rows = try partner.clinicBookings(calendar, from: Date(), to: Date().addingTimeInterval(86_400 * 84))
        let seededRow = try #require(rows.first { $0.docplannerID?.hasPrefix("7") == true && $0.status == .booked })
        try clinic.execute("UPDATE bookings SET status = 'canceled' WHERE id = \(seededRow.rowID)")
        #expect(try reconciler.reconcile(calendar, now: Date()).isEmpty)
        #expect(simulator.snapshot().booking(seededRow.docplannerID!)?.status == "booked", "left to outbound sync")
    }
}
