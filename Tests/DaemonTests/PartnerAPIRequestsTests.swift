import Foundation
import Partner
import Testing

@testable import Daemon

/// The `/v1` bodies: valid ones become calendar writes; each invalid one is refused with
/// the name of the field that is wrong.
@Suite struct PartnerAPIRequestsTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    let validBooking = """
        {"facility_id": "1", "doctor_id": 123, "address_id": "111", "start": "2026-03-02T10:00:00+01:00",
         "end": "2026-03-02T10:30:00+01:00", "address_service_id": "101",
         "patient": {"name": "Anna", "surname": "Nowak", "email": "anna@example.com", "phone": "+48500100200"},
         "comment": "first visit"}
        """

    @Test func validBookingIsRead() throws {
        let booking = try PartnerAPIRequests.newBooking(bytes(validBooking))
        #expect(booking.calendar == CalendarRef(facilityID: "1", doctorID: "123", addressID: "111"))
        #expect(booking.start.text == "2026-03-02T10:00:00+01:00")
        #expect(booking.end.date.timeIntervalSince(booking.start.date) == 1800)
        #expect(booking.patient.phone == "+48500100200")
        #expect(booking.comment == "first visit")
    }

    @Test(arguments: [
        ("doctor_id", #""doctor_id": 123,"#, #""#),
        ("start", #""start": "2026-03-02T10:00:00+01:00""#, #""start": "2026-03-02 10:00""#),
        ("end", #""end": "2026-03-02T10:30:00+01:00""#, #""end": "2026-03-02T09:30:00+01:00""#),
        ("patient.phone", #", "phone": "+48500100200""#, ""),
        ("patient.email", #""anna@example.com""#, #""anna""#),
        ("address_service_id", #""address_service_id": "101""#, #""address_service_id": true"#),
        ("colour", #""comment": "first visit""#, #""comment": "first visit", "colour": "red""#),
    ])
    func invalidBookingNamesTheField(field: String, replacing: String, with: String) {
        let body = validBooking.replacingOccurrences(of: replacing, with: with)
        #expect(body != validBooking)
        #expect { try PartnerAPIRequests.newBooking(bytes(body)) } throws: { error in
            (error as? FieldError)?.field == field
        }
    }

    @Test func notAnObjectIsRefused() {
        #expect(throws: FieldError.self) { try PartnerAPIRequests.newBooking(bytes("[1]")) }
        #expect(throws: FieldError.self) { try PartnerAPIRequests.newBooking([]) }
    }

    @Test func bookingEdits() throws {
        let cancel = try PartnerAPIRequests.bookingEdit(bytes(#"{"status": "canceled"}"#))
        #expect(cancel.canceled)
        let move = try PartnerAPIRequests.bookingEdit(
            bytes(#"{"start": "2026-03-02T11:00:00+01:00", "end": "2026-03-02T11:30:00+01:00"}"#))
        #expect(move.times?.start.text == "2026-03-02T11:00:00+01:00")
        #expect { try PartnerAPIRequests.bookingEdit(bytes(#"{"start": "2026-03-02T11:00:00+01:00"}"#)) } throws: {
            ($0 as? FieldError)?.field == "end"
        }
        #expect { try PartnerAPIRequests.bookingEdit(bytes(#"{"status": "booked"}"#)) } throws: {
            ($0 as? FieldError)?.field == "status"
        }
        #expect { try PartnerAPIRequests.bookingEdit(bytes(#"{"presence": "late"}"#)) } throws: {
            ($0 as? FieldError)?.field == "presence"
        }
        #expect { try PartnerAPIRequests.bookingEdit(bytes("{}")) } throws: { $0 is FieldError }
    }

    @Test func workingHoursAndDaySlots() throws {
        let rows = try PartnerAPIRequests.workingHours(
            bytes(
                #"{"hours": [{"weekday": 1, "start_time": "08:00", "end_time": "24:00", "address_service_id": "101", "duration": 30}]}"#
            ))
        #expect(
            rows == [
                WorkingHoursRow(weekday: 1, startTime: "08:00", endTime: "24:00", addressServiceID: "101", duration: 30)
            ])
        #expect {
            try PartnerAPIRequests.workingHours(
                bytes(
                    #"{"hours": [{"weekday": 8, "start_time": "08:00", "end_time": "12:00", "address_service_id": "101", "duration": 30}]}"#
                ))
        } throws: { ($0 as? FieldError)?.field == "hours[0].weekday" }
        #expect {
            try PartnerAPIRequests.workingHours(
                bytes(
                    #"{"hours": [{"weekday": 1, "start_time": "12:00", "end_time": "08:00", "address_service_id": "101", "duration": 30}]}"#
                ))
        } throws: { ($0 as? FieldError)?.field == "hours[0].end_time" }
        #expect(try PartnerAPIRequests.daySlots(bytes(#"{"slots": []}"#)).isEmpty)
        #expect { try PartnerAPIRequests.daySlots(bytes(#"{"slots": [{"start_time": "8:00"}]}"#)) } throws: {
            ($0 as? FieldError)?.field == "slots[0].start_time"
        }
        #expect(throws: FieldError.self) { try PartnerAPIRequests.day("2026-02-30") }
        #expect(try PartnerAPIRequests.day("2026-02-28") == "2026-02-28")
    }
}
