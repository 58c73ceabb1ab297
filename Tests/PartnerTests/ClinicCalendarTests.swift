import Foundation
import Partner
import SQLite
import Store
import TestSupport
import Testing

/// The outbound side of the embedded calendar: availability from working hours and day
/// slots, captured changes, and the bookkeeping of what Docplanner holds.
@Suite final class ClinicCalendarTests {
    let directory: TemporaryDirectory
    let partner: EmbeddedPartner
    let clinic: any SQLConnection
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")
    let warsaw = TimeZone(identifier: "Europe/Warsaw")!

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-clinic")
        let calendar = try TestCalendar(in: directory)
        partner = calendar.partner
        clinic = try calendar.clinic()
    }

    deinit { directory.remove() }

    func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func workingHoursDaySlotsAndValidityMakeTheWindows() throws {
        // 2027-03-01 is a Monday. Two services share 09:00–12:00; a second window 14:00–16:00
        // holds from March 2 only; March 3 has its own explicit slots; March 4 is closed.
        try clinic.execute(
            """
            INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id, duration)
            VALUES ('1', '123', '111', 1, '09:00', '12:00', '101', 30), ('1', '123', '111', 1, '09:00', '12:00', '102', 15),
                   ('1', '123', '111', 2, '09:00', '12:00', '101', 30), ('1', '123', '111', 3, '09:00', '12:00', '101', 30),
                   ('1', '123', '111', 4, '09:00', '12:00', '101', 30),
                   ('1', '123', '999', 1, '09:00', '12:00', '101', 30);
            INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id,
                duration, valid_from) VALUES ('1', '123', '111', 2, '14:00', '16:00', '101', 30, '2027-03-02');
            INSERT INTO day_slots (facility_id, doctor_id, address_id, day, start_time, end_time, address_service_id, duration)
            VALUES ('1', '123', '111', '2027-03-03', '07:30', '08:30', '102', 15);
            INSERT INTO day_slots (facility_id, doctor_id, address_id, day) VALUES ('1', '123', '111', '2027-03-04');
            """)
        let days = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05"]
        let availability = try partner.availability(calendar, days: days, timeZone: warsaw)

        #expect(
            availability["2027-03-01"] == [
                AvailabilityWindow(
                    start: date("2027-03-01T08:00:00Z"), end: date("2027-03-01T11:00:00Z"),
                    services: [
                        .init(addressServiceID: "101", duration: 30), .init(addressServiceID: "102", duration: 15),
                    ])
            ])
        #expect(
            availability["2027-03-02"]?.map(\.start) == [date("2027-03-02T08:00:00Z"), date("2027-03-02T13:00:00Z")])
        #expect(
            availability["2027-03-03"] == [
                AvailabilityWindow(
                    start: date("2027-03-03T06:30:00Z"), end: date("2027-03-03T07:30:00Z"),
                    services: [.init(addressServiceID: "102", duration: 15)])
            ])
        #expect(availability["2027-03-04"] == nil, "closed by an empty day slot")
        #expect(availability["2027-03-05"] == nil, "no hours on Fridays")
        #expect(try partner.calendarsWithAvailability().map(\.addressID) == ["111", "999"])
    }

    @Test func daylightSavingShiftsTheWindowsButNotTheClockTimes() throws {
        // 2027-03-28 is the Sunday Poland moves to summer time.
        try clinic.execute(
            """
            INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id, duration)
            VALUES ('1', '123', '111', 6, '09:00', '10:00', '101', 30), ('1', '123', '111', 1, '09:00', '10:00', '101', 30);
            """)
        let availability = try partner.availability(calendar, days: ["2027-03-27", "2027-03-29"], timeZone: warsaw)
        #expect(availability["2027-03-27"]?.first?.start == date("2027-03-27T08:00:00Z"))
        #expect(availability["2027-03-29"]?.first?.start == date("2027-03-29T07:00:00Z"))
    }

    @Test func clinicChangesAreCapturedWithTheirCalendarAndForgotten() throws {
        try clinic.execute(
            """
            INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time, address_service_id, duration)
            VALUES ('1', '123', '111', 1, '09:00', '12:00', '101', 30);
            UPDATE working_hours SET address_id = '112';
            INSERT INTO breaks (docplanner_break_id, facility_id, doctor_id, address_id, since_ts, till_ts)
                VALUES ('b9', '1', '123', '111', 10, 20);
            DELETE FROM breaks;
            """)
        let changes = try partner.pendingChanges(limit: 100)
        #expect(changes.map(\.table) == [.workingHours, .workingHours, .workingHours, .breaks, .breaks])
        // A row moved to another address changes both calendars.
        #expect(Set(changes.prefix(3).map(\.calendar.addressID)) == ["111", "112"])
        #expect(changes.last?.operation == "delete")
        #expect(changes.last?.docplannerID == "b9", "a deleted row keeps Docplanner's id")
        #expect(changes.allSatisfy { $0.calendar.facilityID == "1" })

        try partner.forgetChanges(through: changes[2].id)
        #expect(try partner.pendingChanges(limit: 100).map(\.id) == changes.suffix(2).map(\.id))
        try partner.forgetChanges(through: changes.last!.id)
        // Ids are never reused, so jobs named after them stay unique.
        try clinic.execute("INSERT INTO breaks (facility_id, doctor_id, address_id) VALUES ('1', '123', '111')")
        #expect(try partner.pendingChanges(limit: 100).first!.id > changes.last!.id)
    }

    @Test func syncBookkeepingIsNotCapturedAsAClinicChange() throws {
        try clinic.execute(
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id,
                patient_name, patient_phone)
            VALUES ('1', '123', '111', '2027-03-01T10:00:00+01:00', '2027-03-01T10:30:00+01:00', '101', 'Ewa', '+48111222333');
            """)
        let row = try clinic.scalar("SELECT id FROM bookings")
        let changes = try partner.pendingChanges(limit: 10)
        try partner.forgetChanges(through: changes.last!.id)

        var booking = try #require(try partner.clinicBooking(rowID: Int64(row)))
        #expect(booking.docplannerID == nil)
        #expect(booking.start == date("2027-03-01T09:00:00Z"))
        #expect(booking.durationMinutes == 30)
        #expect(booking.patient?.phone == "+48111222333")

        try partner.recordBookingSynced(
            rowID: Int64(row),
            BookingSyncState(
                docplannerID: "900", status: .booked, start: booking.start, confirmed: false, presence: nil))
        #expect(try partner.pendingChanges(limit: 10).isEmpty)
        booking = try #require(try partner.clinicBooking(rowID: Int64(row)))
        #expect(booking.docplannerID == "900")
        #expect(booking.syncedStart == booking.start)

        // Moving by start_at alone keeps start_ts in step (and the other way round).
        try clinic.execute(
            "UPDATE bookings SET start_at = '2027-03-01T11:00:00+01:00', end_at = '2027-03-01T11:30:00+01:00'")
        booking = try #require(try partner.clinicBooking(rowID: Int64(row)))
        #expect(booking.start == date("2027-03-01T10:00:00Z"))
        #expect(booking.durationMinutes == 30)
        try clinic.execute("UPDATE bookings SET start_ts = start_ts + 3600, end_ts = end_ts + 3600")
        #expect(try clinic.scalar("SELECT unixepoch(start_at) - start_ts FROM bookings") == 0)
    }

    @Test func slotSignaturesAreKeptPerDay() throws {
        try partner.recordSlotSignatures(calendar, ["2027-03-01": "a", "2027-03-02": "b"])
        try partner.recordSlotSignatures(calendar, ["2027-03-01": "", "2027-03-03": "c"])
        #expect(try partner.slotSignatures(calendar) == ["2027-03-02": "b", "2027-03-03": "c"])
        #expect(try partner.pendingChanges(limit: 10).isEmpty)
        #expect(
            try partner.calendarsWithAvailability() == [calendar],
            "a calendar fed before keeps being fed until its days are cleared")
    }
}
