import Foundation
import Partner
import Store
import TestSupport
import Testing

/// Erasing one patient from the clinic calendar: their bookings keep the visit (the
/// schedule stays right) but lose the patient's fields and comment, without a clinic
/// change for Docplanner, and the old values are gone from the file.
@Suite struct CalendarErasureTests {
    @Test func blanksThePatientsBookingsAndKeepsTheVisits() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-calendar-erasure")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        let testCalendar = try TestCalendar(in: directory)
        let partner = testCalendar.partner
        let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func booking(_ id: String, _ patient: PartnerPatient, _ comment: String) -> PartnerBooking {
            PartnerBooking(
                docplannerID: id, calendar: calendar, start: start, end: start + 1800, serviceID: "45",
                serviceName: "Consultation", patient: patient, comment: comment)
        }
        let ours = PartnerPatient(name: "Abraham", surname: "Lincoln", email: "abe@example.com", phone: "+48500100200")
        let theirs = PartnerPatient(name: "Mary", surname: "Smith", email: "mary@example.com", phone: "+48600700800")
        #expect(
            try partner.apply(
                [.booked(booking("4412", ours, "knee hurts since May"))], eventKey: "e1", eventTime: start))
        #expect(try partner.apply([.booked(booking("4413", theirs, "a follow-up"))], eventKey: "e2", eventTime: start))
        // A visit the clinic entered itself, with the number written its own way.
        try testCalendar.clinic().execute(
            """
            INSERT INTO bookings (facility_id, doctor_id, address_id, start_ts, end_ts, patient_name, patient_phone)
            VALUES ('1', '123', '111', 1800003600, 1800005400, 'Abe', '500 100 200');
            """)
        _ = try partner.pendingChanges(limit: 10).last.map { try partner.forgetChanges(through: $0.id) }
        let matcher = try PatientMatcher(phones: ["+48 500 100 200"], emails: [])

        #expect(try partner.erasePatient(where: { matcher.occurs(in: $0) }, apply: false) == 2)
        #expect(try partner.booking(docplannerID: "4412")?.patient?.name == "Abraham", "a dry run changes nothing")

        #expect(try partner.erasePatient(where: { matcher.occurs(in: $0) }, apply: true) == 2)
        let erased = try #require(try partner.booking(docplannerID: "4412"))
        #expect(erased.patient == nil && erased.comment == nil)
        #expect(erased.status == .booked && erased.start == start, "the visit stays")
        #expect(try partner.booking(docplannerID: "4413")?.patient == theirs)
        #expect(try partner.pendingChanges(limit: 10).isEmpty, "not a clinic change: nothing goes to Docplanner")
        #expect(try partner.erasePatient(where: { matcher.occurs(in: $0) }, apply: true) == 0)

        // The file keeps no copy (SQLite's secure_delete; PostgreSQL's files are the server's).
        guard !TestCalendar.onPostgres else { return }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes += FileManager.default.contents(atPath: path + "-wal") ?? Data()
        let text = String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
        for gone in ["Abraham", "Lincoln", "abe@example.com", "+48500100200", "500 100 200", "knee hurts", "Abe"] {
            #expect(!text.contains(gone), "\(gone) is still in the calendar file")
        }
        #expect(text.contains("Mary") && text.contains("a follow-up"))
    }
}
