import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Calendar status and calendar breaks through the client.
@Suite struct CalendarCallTests {
    @Test func enableAndDisableCalendars() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        #expect(try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111").isEnabled)
        #expect {
            try client.enableCalendar(facilityID: "1", doctorID: "123", addressID: "111")
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Calendar already enabled"
        }
        try client.disableCalendar(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111").status == "disabled")
        #expect(throws: DocplannerError.self) {
            try client.disableCalendar(facilityID: "1", doctorID: "123", addressID: "111")
        }
        try client.enableCalendar(facilityID: "1", doctorID: "123", addressID: "111")

        #expect {
            try client.enableCalendar(facilityID: "1", doctorID: "234", addressID: "221")
        } throws: { error in
            guard case .unprocessable(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Cannot activate calendar on address 221, profile/address is not commercial"
        }
    }

    @Test func calendarBreaksLifecycle() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let place = (facilityID: "1", doctorID: "123", addressID: "111")
        let seeded = try client.getCalendarBreaks(
            facilityID: place.facilityID, doctorID: place.doctorID, addressID: place.addressID, since: day(0),
            till: day(7))
        #expect(seeded.map(\.description) == ["Staff meeting"])
        #expect(seeded.first?.since?.text == text(day(2, 11)))

        let added = try client.addCalendarBreak(
            facilityID: "1", doctorID: "123", addressID: "111", since: day(3, 12), till: day(3, 13),
            description: "Lunch")
        let id = try #require(added.id)
        #expect(added.till?.text == "2027-01-18T13:00:00+01:00")
        #expect {
            try client.addCalendarBreak(
                facilityID: "1", doctorID: "123", addressID: "111", since: day(3, 12), till: day(3, 13),
                description: "Lunch")
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Break for given address, date range and description exists"
        }
        #expect {
            try client.addCalendarBreak(
                facilityID: "1", doctorID: "123", addressID: "111", since: day(3, 13), till: day(3, 12))
        } throws: { error in
            guard case .unprocessable(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Invalid date range"
        }
        // The break takes its time out of the slots.
        let slots = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(3, 12), end: day(3, 13))
        #expect(slots.isEmpty)

        #expect(
            try client.getCalendarBreak(facilityID: "1", doctorID: "123", addressID: "111", breakID: id).description
                == "Lunch")
        try client.moveCalendarBreak(
            facilityID: "1", doctorID: "123", addressID: "111", breakID: id, since: day(3, 11), till: day(3, 12))
        #expect {
            try client.moveCalendarBreak(
                facilityID: "1", doctorID: "123", addressID: "111", breakID: id, since: day(3, 11), till: day(3, 12))
        } throws: { error in
            guard case .unprocessable(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Same Date Range"
        }
        #expect(
            try client.getCalendarBreak(facilityID: "1", doctorID: "123", addressID: "111", breakID: id).since?.text
                == text(day(3, 11)))
        try client.deleteCalendarBreak(facilityID: "1", doctorID: "123", addressID: "111", breakID: id)
        #expect {
            try client.getCalendarBreak(facilityID: "1", doctorID: "123", addressID: "111", breakID: id)
        } throws: { error in
            guard case .notFound(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Invalid break ID"
        }
    }

    @Test func breaksNeedBothDates() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let token = try RawHTTP.token(fixture.simulator)
        let url = fixture.simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111/breaks"
        let list = try RawHTTP.send(
            .get, url + "?since=2027-01-15T00%3A00%3A00%2B01%3A00", headers: ["Authorization": "Bearer \(token)"])
        #expect(list.status == 400)
        #expect(APIErrorBody.parse(list.body)?.message == #"Param "till" is required!"#)
        let add = try RawHTTP.send(
            .post, url, json: #"{"since":"2027-01-18T12:00:00+01:00"}"#, headers: ["Authorization": "Bearer \(token)"])
        #expect(add.status == 400)
        #expect(add.headers["Content-Type"] == "application/vnd.error+docplanner+json")
        #expect(APIErrorBody.parse(add.body)?.message == #"Param "till" is required!"#)
    }

    /// An address without a calendar: getCalendar 404 "Calendar does not exist"; enable,
    /// disable and replaceSlots 403 (no calendar to edit); addCalendarBreak creates it,
    /// disabled, and is refused as on any disabled calendar; then it can be enabled.
    @Test func missingCalendar() throws {
        let fixture = try APIFixture(rateLimits: nil)
        defer { fixture.stop() }
        let client = fixture.client
        let (status, outcome) = try RawHTTP.admin(
            fixture.simulator, "calendar", #"{"address_id":"111","status":"missing"}"#)
        #expect(status == 200 && outcome["outcome"] == .string("calendar-missing"))
        #expect(fixture.simulator.snapshot().calendars["111"] == "missing")
        #expect(fixture.simulator.snapshot().slotUnits["111"] == nil)

        /// "status message" of the refusal, or "accepted".
        func refusal(_ call: () throws -> Void) -> String {
            do {
                try call()
                return "accepted"
            } catch {
                switch error as? DocplannerError {
                case .notFound(_, let body)?: return "404 \(body.message ?? "")"
                case .forbidden(_, let body)?: return "403 \(body.message ?? "")"
                default: return "\(error)"
                }
            }
        }
        let noEdit = "403 You are not authorized to make changes on this calendar"
        #expect(
            refusal { _ = try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111") }
                == "404 Calendar does not exist")
        #expect(refusal { try client.enableCalendar(facilityID: "1", doctorID: "123", addressID: "111") } == noEdit)
        #expect(refusal { try client.disableCalendar(facilityID: "1", doctorID: "123", addressID: "111") } == noEdit)
        #expect(
            refusal {
                try client.replaceSlots(
                    facilityID: "1", doctorID: "123", addressID: "111",
                    ReplaceSlotsRequest(slots: [SlotCallTests.window(day(4, 9), day(4, 10))]))
            } == noEdit)
        #expect(
            refusal { try client.deleteSlots(facilityID: "1", doctorID: "123", addressID: "111", day: "2027-01-19") }
                == noEdit)
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(1), end: day(8)).isEmpty)
        #expect(
            refusal {
                _ = try client.getCalendarBreaks(
                    facilityID: "1", doctorID: "123", addressID: "111", since: day(0), till: day(7))
            }
                == "404 Calendar not found for this address")

        #expect(
            refusal {
                _ = try client.addCalendarBreak(
                    facilityID: "1", doctorID: "123", addressID: "111", since: day(3, 12), till: day(3, 13))
            } == noEdit)
        #expect(try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111").status == "disabled")
        try client.enableCalendar(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111").isEnabled)
        // It came back empty.
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(1), end: day(8)).isEmpty)

        #expect(try RawHTTP.admin(fixture.simulator, "calendar", #"{"address_id":"999","status":"missing"}"#).0 == 404)
        #expect(try RawHTTP.admin(fixture.simulator, "calendar", #"{"address_id":"111","status":"gone"}"#).0 == 400)
    }

    /// `apply_on_coupled_addresses` (1.14.0): the same break on the doctor's online-only address
    /// for an offline one; it moves and goes with the break it followed.
    @Test func coupledBreaksFollowTheirBreak() throws {
        let fixture = try APIFixture(rateLimits: nil)
        defer { fixture.stop() }
        let path = "/facilities/1/doctors/123/addresses/111/breaks"
        let added = try RawHTTP.api(
            fixture.simulator, .post, path,
            json: #"{"since":"\#(text(day(3, 12)))","till":"\#(text(day(3, 13)))","apply_on_coupled_addresses":true}"#)
        #expect(added.status == 201)
        let id = try #require(try JSONDecoder().decode(CalendarBreak.self, from: added.response.body).id)
        func onlineBreaks() throws -> [CalendarBreak] {
            try fixture.client.getCalendarBreaks(
                facilityID: "1", doctorID: "123", addressID: "112", since: day(0), till: day(8))
        }
        #expect(try onlineBreaks().map(\.since?.text) == [text(day(3, 12))])
        #expect(fixture.simulator.snapshot().breaks == 3)
        try fixture.client.moveCalendarBreak(
            facilityID: "1", doctorID: "123", addressID: "111", breakID: id, since: day(3, 14), till: day(3, 15))
        #expect(try onlineBreaks().map(\.since?.text) == [text(day(3, 14))])
        try fixture.client.deleteCalendarBreak(facilityID: "1", doctorID: "123", addressID: "111", breakID: id)
        #expect(try onlineBreaks().isEmpty)
        #expect(fixture.simulator.snapshot().breaks == 1)
    }
}
