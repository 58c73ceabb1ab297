import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Bookings through the client: lists with pagination, cancel, move, confirm, presence.
@Suite struct BookingCallTests {
    @Test func bookingsPaginate() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let all = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(-2), end: day(8))
        #expect(all.items.map(\.id) == ["700001", "700002", "700003", "700004", "700005"])
        #expect(all.page == nil && !all.hasNextPage)
        #expect(all.items.allSatisfy { $0.patient == nil })
        #expect(all.items.map(\.canceledBy) == ["", "", "", "", "user"])

        let first = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(-2), end: day(8), page: 1, limit: 2,
            with: [.bookingPatient, .bookingAddressService])
        #expect(first.page == 1 && first.limit == 2 && first.pages == 3 && first.total == 5 && first.hasNextPage)
        #expect(first.items.map(\.id) == ["700001", "700002"])
        #expect(first.items[0].patient?.surname == "Lincoln" && first.items[0].addressService?.id == "101")

        let last = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(-2), end: day(8), page: 3, limit: 2)
        #expect(last.items.map(\.id) == ["700005"] && !last.hasNextPage)

        let paged = try client.getAllBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(-2), end: day(8), pageSize: 2)
        #expect(paged.map(\.id) == all.items.map(\.id))
        let pageRequests = fixture.simulator.snapshot().requests.filter { $0.path.hasSuffix("/bookings") }
        #expect(pageRequests.count == 6)

        // Only bookings starting in the range.
        let dayOne = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1), end: day(2))
        #expect(dayOne.items.map(\.id) == ["700002", "700003"])
    }

    @Test func getAndCancelBooking() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let booking = try client.getBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003", with: [.bookingMoving])
        #expect(booking.patient?.name == "Abraham" && booking.insurance?.name == "Axa")
        #expect(booking.moving == BookingMoving(originBookingID: "700003", newestBookingID: "700003"))
        #expect {
            _ = try client.getBooking(facilityID: "1", doctorID: "123", addressID: "112", bookingID: "700003")
        } throws: { error in
            guard case .forbidden(_, let body) = error as? DocplannerError else { return false }
            return body.message == "This booking does not belong to this address"
        }

        try client.cancelBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003", reason: "Doctor is ill")
        let canceled = try client.getBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003")
        #expect(canceled.status == "canceled" && canceled.canceledBy == "integration" && canceled.canceledAt != nil)
        #expect {
            try client.cancelBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003")
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Visit 700003 cannot be canceled because it is not booked"
        }
        // The time is free again.
        let slots = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 10), end: day(1, 10, 1))
        #expect(slots.count == 1)
    }

    @Test func moveBookingCreatesANewBooking() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let moved = try client.moveBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003",
            MoveBookingRequest(addressServiceID: "101", start: DocplannerDateTime(day(1, 11), timeZone: testTimeZone)))
        let newID = try #require(moved.booking.id)
        #expect(newID != "700003")
        #expect(moved.booking.startAt?.text == text(day(1, 11)) && moved.booking.status == "booked")
        #expect(
            moved.location?.hasSuffix("/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/\(newID)")
                == true)
        #expect(fixture.statuses.last == 201)

        let old = try client.getBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003", with: [.bookingMoving])
        #expect(old.status == "canceled")
        #expect(old.moving == BookingMoving(originBookingID: "700003", newestBookingID: newID))
        #expect {
            _ = try client.moveBooking(
                facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003",
                MoveBookingRequest(
                    addressServiceID: "101", start: DocplannerDateTime(day(1, 12), timeZone: testTimeZone)))
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "The visit has already been canceled or moved"
        }
    }

    /// `booking.moving` shows the whole chain from any booking of it: the first booking and
    /// the newest one (BookingMoving); the bookings list carries no `moving`.
    @Test func moveChainAndTheListWithoutMoving() throws {
        let fixture = try APIFixture(rateLimits: nil)
        defer { fixture.stop() }
        let client = fixture.client
        func move(_ id: String, to start: Date) throws -> String {
            try #require(
                try client.moveBooking(
                    facilityID: "1", doctorID: "123", addressID: "111", bookingID: id,
                    MoveBookingRequest(
                        addressServiceID: "101", start: DocplannerDateTime(start, timeZone: testTimeZone))
                ).booking.id)
        }
        let second = try move("700003", to: day(1, 11))
        let third = try move(second, to: day(1, 12))
        for id in ["700003", second, third] {
            let booking = try client.getBooking(
                facilityID: "1", doctorID: "123", addressID: "111", bookingID: id, with: [.bookingMoving])
            #expect(booking.moving == BookingMoving(originBookingID: "700003", newestBookingID: third), "\(id)")
        }
        #expect(
            try client.getBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: second).moving == nil)
        #expect {
            _ = try move(second, to: day(1, 12, 30))
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "The visit has already been canceled or moved"
        }

        let start = queryValue(text(day(1)))
        let end = queryValue(text(day(2)))
        let list = try RawHTTP.api(
            fixture.simulator, .get,
            "/facilities/1/doctors/123/addresses/111/bookings?start=\(start)&end=\(end)&with=booking.moving")
        #expect(list.status == 200)
        let items = try JSONDecoder().decode([String: JSONValue].self, from: list.response.body)["_items"]
        guard case .array(let bookings)? = items else { throw CancellationError() }
        #expect(bookings.count == 4)
        #expect(bookings.allSatisfy { $0["moving"] == nil })
    }

    @Test func paidBookingCannotMoveAcrossPaymentAccounts() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        #expect {
            _ = try fixture.client.moveBooking(
                facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700004",
                MoveBookingRequest(
                    addressServiceID: "121", start: DocplannerDateTime(day(2, 14), timeZone: testTimeZone),
                    addressID: "112"))
        } throws: { error in
            guard case .unprocessable(_, let body) = error as? DocplannerError else { return false }
            return body.message?.hasPrefix("This booking has a payment on it") == true
        }
        #expect(
            try fixture.client.getBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700004")
                .status
                == "booked")
    }

    @Test func confirmAndPresence() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        func conflict(_ bookingID: String) -> String? {
            do {
                try client.confirmBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: bookingID)
                return nil
            } catch {
                guard case .conflict(_, let body) = error else { return "\(error)" }
                return body.message
            }
        }
        try client.confirmBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003", confirmedBy: "admin")
        #expect(fixture.simulator.snapshot().booking("700003")?.confirmed == true)
        #expect(conflict("700003") == "Visit has already been confirmed")
        #expect(conflict("700001") == "Visit is in the past")
        #expect(conflict("700005") == "Visit has been canceled")
        #expect {
            try client.confirmBooking(
                facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700002", confirmedBy: "robot")
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.fieldErrors["confirmed_by"] != nil
        }

        try client.markPatientPresence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700001")
        var past = try client.getBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700001")
        #expect(past.presence?.state == .present && past.presence?.text == "present")
        try client.markPatientAbsence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700001")
        past = try client.getBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700001")
        #expect(past.presence?.state == .absent)
        #expect {
            try client.markPatientPresence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700003")
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Visit is in the future"
        }
        #expect {
            try client.markPatientAbsence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "700005")
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Visit is marked as canceled"
        }
    }
}
