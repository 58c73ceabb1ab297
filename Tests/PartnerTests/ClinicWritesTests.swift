import Foundation
import Partner
import TestSupport
import Testing

/// Writes made through the `/v1` API are clinic changes: the change-log triggers capture
/// them for outbound sync, as they would a clinic's own edit of the file.
@Suite final class ClinicWritesTests {
    let directory: TemporaryDirectory
    let partner: EmbeddedPartner
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-clinic-writes")
        partner = try TestCalendar(in: directory).partner
    }

    deinit { directory.remove() }

    func time(_ text: String) -> ClinicTime {
        let formatter = ISO8601DateFormatter()
        return ClinicTime(text: text, date: formatter.date(from: text)!)
    }

    @Test func bookingInsertEditDeleteAreCaptured() throws {
        let id = try partner.insertClinicBooking(
            NewClinicBooking(
                calendar: calendar, start: time("2026-03-02T10:00:00+01:00"), end: time("2026-03-02T10:30:00+01:00"),
                addressServiceID: "101", patient: PartnerPatient(name: "Anna", phone: "+48500"), comment: nil))
        let row = try #require(try partner.clinicBooking(rowID: id))
        #expect(row.docplannerID == nil)
        #expect(row.start == time("2026-03-02T10:00:00+01:00").date)
        #expect(row.addressServiceID == "101")
        #expect(try partner.isFree(calendar, start: row.start!, end: row.end!, ignoring: nil) == false)

        var edit = ClinicBookingEdit()
        edit.canceled = true
        #expect(try partner.updateClinicBooking(rowID: id, edit))
        #expect(try partner.clinicBooking(rowID: id)?.status == .canceled)
        #expect(try !partner.updateClinicBooking(rowID: id + 99, edit))
        #expect(try partner.deleteClinicBooking(rowID: id))
        #expect(try !partner.deleteClinicBooking(rowID: id))

        let changes = try partner.pendingChanges(limit: 10)
        #expect(changes.map(\.operation) == ["insert", "update", "delete"])
        #expect(changes.allSatisfy { $0.table == .bookings && $0.rowID == id && $0.calendar == calendar })
    }

    @Test func workingHoursAreReplacedAndDaySlotsCloseADay() throws {
        try partner.replaceWorkingHours(
            calendar,
            [
                WorkingHoursRow(weekday: 1, startTime: "08:00", endTime: "12:00", addressServiceID: "101", duration: 30)
            ])
        try partner.replaceWorkingHours(
            calendar,
            [
                WorkingHoursRow(weekday: 2, startTime: "09:00", endTime: "11:00", addressServiceID: "101", duration: 30)
            ])
        let zone = TimeZone(identifier: "Europe/Warsaw")!
        // 2026-03-02 is a Monday, 2026-03-03 a Tuesday.
        let week = try partner.availability(calendar, days: ["2026-03-02", "2026-03-03"], timeZone: zone)
        #expect(week["2026-03-02"] == nil)
        #expect(week["2026-03-03"]?.count == 1)

        try partner.replaceDaySlots(calendar, day: "2026-03-03", [])
        #expect(try partner.availability(calendar, days: ["2026-03-03"], timeZone: zone)["2026-03-03"] == nil)
        try partner.replaceDaySlots(calendar, day: "2026-03-03", nil)
        #expect(try partner.availability(calendar, days: ["2026-03-03"], timeZone: zone)["2026-03-03"]?.count == 1)

        let tables = Set(try partner.pendingChanges(limit: 50).map(\.table))
        #expect(tables == [.workingHours, .daySlots])
    }

    @Test func breaksAreCaptured() throws {
        let id = try partner.insertClinicBreak(
            NewClinicBreak(
                calendar: calendar, since: time("2026-03-02T12:00:00+01:00"), till: time("2026-03-02T13:00:00+01:00"),
                description: "lunch"))
        #expect(
            try partner.moveClinicBreak(
                rowID: id, since: time("2026-03-02T13:00:00+01:00"), till: time("2026-03-02T14:00:00+01:00")))
        #expect(try partner.clinicBreak(rowID: id)?.since == time("2026-03-02T13:00:00+01:00").date)
        #expect(try partner.deleteClinicBreak(rowID: id))
        #expect(try partner.pendingChanges(limit: 10).map(\.operation) == ["insert", "update", "delete"])
    }
}
