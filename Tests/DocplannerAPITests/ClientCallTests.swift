import DocplannerAPI
import Foundation
import TestSupport
import Testing

/// Requests go out as the document says (paths, encoded dates, scopes, media types, bodies)
/// and answers decode.
@Suite struct ClientCallTests {
    static let base = "/api/v3/integration"
    static let address = "/facilities/1/doctors/123/addresses/111"
    /// 2020-12-01T00:00:00+01:00
    static let december1 = Date(timeIntervalSince1970: 1_606_777_200)

    static let bookingsPage1 = #"""
        {"page":1,"limit":2,"pages":2,"total":3,"_items":[
         {"id":"2134124","status":"booked","start_at":"2021-05-16T14:00:00+01:00","end_at":"2021-05-16T14:30:00+01:00","duration":30,"booked_by":"user","canceled_by":"","booked_at":"2021-05-12T12:00:00+01:00","canceled_at":null,"comment":"comment","insurance":{"id":"11","name":"Axa","plan":null,"plan_id":null}},
         {"id":"2134125","status":"booked","start_at":"2021-05-16T17:00:00+01:00","end_at":"2021-05-16T17:30:00+01:00","duration":15,"booked_by":"doctor","canceled_by":"doctor","booked_at":"2021-05-12T13:00:00+01:00","canceled_at":"2021-05-16T14:30:00+01:00","comment":null,"insurance":{"id":"11","name":"Axa","plan":null,"plan_id":null}}]}
        """#
    static let bookingsPage2 = #"""
        {"page":2,"limit":2,"pages":2,"total":3,"_items":[
         {"id":"2134126","status":"booked","start_at":"2021-05-17T09:00:00+01:00","duration":20,
          "patient":{"name":"Abraham","surname":"Lincoln","phone":48123123123,"nin":894237492,"is_returning":false,"insurance_number":null},
          "presence":"absent","moving":{"origin_booking_id":"2134101","newest_booking_id":"2134126"}}]}
        """#

    @Test func bookingsPaginate() throws {
        let server = try scriptedDocplanner([
            api("GET", Self.address + "/bookings", .json(200, Self.bookingsPage1), .json(200, Self.bookingsPage2))
        ])
        defer { server.stop() }
        let client = client(of: server)
        let start = Self.december1
        let end = start.addingTimeInterval(7 * 86400)

        let page = try client.getBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: start, end: end, page: 1, limit: 2,
            with: [.bookingPatient, .bookingPresence])
        #expect(page.page == 1 && page.limit == 2 && page.pages == 2 && page.total == 3)
        #expect(page.hasNextPage)
        #expect(page.items.map(\.id) == ["2134124", "2134125"])
        #expect(page.items[0].canceledAt == nil)
        #expect(page.items[0].canceledBy == "")
        #expect(page.items[0].insurance?.plan == nil)
        #expect(page.items[0].startAt?.text == "2021-05-16T14:00:00+01:00")
        #expect(page.items[1].canceledBy == "doctor")
        #expect(page.items[1].comment == nil)
        #expect(page.items[1].duration == 15)

        let request = try #require(try server.requests().api.first)
        #expect(request.method == "GET")
        #expect(
            request.target == Self.base + Self.address
                + "/bookings?start=2020-12-01T00%3A00%3A00%2B01%3A00&end=2020-12-08T00%3A00%3A00%2B01%3A00"
                + "&page=1&limit=2&with=booking.patient%2Cbooking.presence")
        #expect(request.header("Accept")?.hasPrefix("application/vnd.docplanner+json") == true)
        #expect(request.header("Content-Type") == nil)
    }

    @Test func allBookingsFollowsPages() throws {
        let server = try scriptedDocplanner([
            api("GET", Self.address + "/bookings", .json(200, Self.bookingsPage1), .json(200, Self.bookingsPage2))
        ])
        defer { server.stop() }
        let all = try client(of: server).getAllBookings(
            facilityID: "1", doctorID: "123", addressID: "111", start: Self.december1,
            end: Self.december1.addingTimeInterval(86400), pageSize: 2)
        #expect(all.map(\.id) == ["2134124", "2134125", "2134126"])
        let last = all[2]
        #expect(last.patient?.phone == "48123123123")
        #expect(last.patient?.nin == "894237492")
        #expect(last.patient?.insuranceNumber == nil)
        #expect(last.presence?.state == .absent)
        #expect(last.moving?.newestBookingID == "2134126")
        let targets = try server.requests().api.map(\.target)
        #expect(targets.count == 2)
        #expect(targets[1].contains("&page=2&limit=2"))
    }

    @Test func bookSlotEncodesTheStartInThePath() throws {
        let booking = #"{"id":"555","status":"booked","start_at":"2020-12-01T00:00:00+01:00","duration":30}"#
        let server = try scriptedDocplanner([api("POST", Self.address + "/slots/", prefix: true, .json(200, booking))])
        defer { server.stop() }
        let client = client(of: server)
        let request = BookSlotRequest(
            addressServiceID: "113", duration: 30,
            patient: Patient(name: "Abraham", surname: "Lincoln", phone: "+48123123123"), isReturning: false,
            comment: "Zażółć / ok")
        let booked = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: Self.december1, request)
        #expect(booked.id == "555")

        let seen = try #require(try server.requests().api.first)
        #expect(seen.target == Self.base + Self.address + "/slots/2020-12-01T00%3A00%3A00%2B01%3A00/book")
        #expect(seen.header("Content-Type") == "application/json")
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(seen.body.utf8))
        #expect(body["address_service_id"] == .string("113"))
        #expect(body["duration"] == .int(30))
        #expect(body["is_returning"] == .bool(false))
        #expect(body["comment"] == .string("Zażółć / ok"))
        #expect(body["patient"]?["phone"] == .string("+48123123123"))
        #expect(body["patient"]?["email"] == nil)
        #expect(body["label"] == nil)
    }

    @Test func slotsAndBreaksUseTheConfiguredOffset() throws {
        let server = try scriptedDocplanner([
            api(
                "GET", Self.address + "/slots",
                problem(404, #"{"errors":[],"message":"No slots found on given address"}"#)),
            api("PUT", Self.address + "/slots", ScriptedResponse(status: 201)),
            api("DELETE", Self.address + "/slots/2020-12-01", ScriptedResponse(status: 204)),
            api(
                "POST", Self.address + "/breaks",
                .json(
                    201,
                    #"{"id":"567","since":"2020-12-16T14:00:00+01:00","till":"2020-12-16T14:30:00+01:00","description":"Lunch"}"#
                )),
            api("PATCH", Self.address + "/breaks/567", ScriptedResponse(status: 204)),
        ])
        defer { server.stop() }
        let client = client(of: server, timeZone: TimeZone(identifier: "Europe/Warsaw")!)

        let slots = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: Self.december1,
            end: Self.december1.addingTimeInterval(86400), with: [.slotServices])
        #expect(slots.isEmpty)

        let start = client.dateTime(Self.december1.addingTimeInterval(9 * 3600))
        let end = client.dateTime(Self.december1.addingTimeInterval(10 * 3600))
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111",
            ReplaceSlotsRequest(slots: [
                .init(
                    start: start, end: end, addressServices: [.init(addressServiceID: "111", duration: 30)],
                    insuranceAccepted: "with-insurance-only", insuranceProviders: [52, 67])
            ]))
        try client.deleteSlots(facilityID: "1", doctorID: "123", addressID: "111", day: "2020-12-01")
        #expect(throws: DocplannerError.self) {
            try client.deleteSlots(facilityID: "1", doctorID: "123", addressID: "111", day: "2020-12-01T00:00")
        }
        let added = try client.addCalendarBreak(
            facilityID: "1", doctorID: "123", addressID: "111", since: Self.december1.addingTimeInterval(14 * 3600),
            till: Self.december1.addingTimeInterval(14.5 * 3600), description: "Lunch")
        #expect(added.id == "567")
        #expect(added.description == "Lunch")
        try client.moveCalendarBreak(
            facilityID: "1", doctorID: "123", addressID: "111", breakID: "567",
            since: Self.december1, till: Self.december1.addingTimeInterval(1800))

        let seen = try server.requests().api
        #expect(seen.map(\.method) == ["GET", "PUT", "DELETE", "POST", "PATCH"])
        #expect(
            seen[0].target.hasSuffix(
                "/slots?start=2020-12-01T00%3A00%3A00%2B01%3A00&end=2020-12-02T00%3A00%3A00%2B01%3A00&with=slot.services"
            ))
        #expect(
            seen[1].body
                == #"{"slots":[{"address_services":[{"address_service_id":"111","duration":30}],"end":"2020-12-01T10:00:00+01:00","insurance_accepted":"with-insurance-only","insurance_providers":[52,67],"start":"2020-12-01T09:00:00+01:00"}]}"#
        )
        #expect(seen[2].target.hasSuffix("/slots/2020-12-01"))
        #expect(
            seen[3].body
                == #"{"description":"Lunch","since":"2020-12-01T14:00:00+01:00","till":"2020-12-01T14:30:00+01:00"}"#)
        #expect(seen[4].body == #"{"since":"2020-12-01T00:00:00+01:00","till":"2020-12-01T00:30:00+01:00"}"#)
    }

    @Test func bookingWrites() throws {
        let moved = #"{"id":"2134135","status":"booked","start_at":"2021-05-26T16:00:00+01:00","duration":30}"#
        let server = try scriptedDocplanner([
            api(
                "POST", Self.address + "/bookings/42/move",
                .json(201, moved, headers: ["Location": "/api/v3/integration\(Self.address)/bookings/2134135"])),
            api("DELETE", Self.address + "/bookings/42", ScriptedResponse(status: 204)),
            api(
                "PUT", Self.address + "/bookings/42/confirm",
                problem(409, #"{"errors":[],"message":"Visit has already been confirmed"}"#)),
            api("POST", Self.address + "/bookings/42/presence/patient", ScriptedResponse(status: 204)),
            api("DELETE", Self.address + "/bookings/42/presence/patient", ScriptedResponse(status: 204)),
        ])
        defer { server.stop() }
        let client = client(of: server)
        let result = try client.moveBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "42",
            MoveBookingRequest(
                addressServiceID: "112", start: DocplannerDateTime("2021-05-26T16:00:00+01:00"), duration: 30))
        #expect(result.booking.id == "2134135")
        #expect(result.location?.hasSuffix("/bookings/2134135") == true)
        try client.cancelBooking(
            facilityID: "1", doctorID: "123", addressID: "111", bookingID: "42", reason: "Doctor ill")
        #expect {
            try client.confirmBooking(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "42")
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Visit has already been confirmed"
        }
        try client.markPatientPresence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "42")
        try client.markPatientAbsence(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "42")

        let seen = try server.requests().api
        #expect(seen.map(\.method) == ["POST", "DELETE", "PUT", "POST", "DELETE"])
        #expect(seen[0].body == #"{"address_service_id":"112","duration":30,"start":"2021-05-26T16:00:00+01:00"}"#)
        #expect(seen[1].body == #"{"reason":"Doctor ill"}"#)
        #expect(seen[2].body == #"{"confirmed_by":"user"}"#)
        #expect(seen[3].header("Content-Length") == "0")
    }

    @Test func mappingReads() throws {
        let server = try scriptedDocplanner([
            api(
                "GET", "/facilities/1",
                .json(
                    200,
                    #"{"id":"1","name":"Sample hospital","doctors":{"_items":[{"id":"123","name":"Sample","surname":"Doctor 123"}]}}"#
                )),
            api(
                "GET", "/facilities/1/doctors/123",
                .json(
                    200,
                    #"{"id":"123","name":"Sample","surname":"Doctor 123","addresses":{"_items":[{"id":"111","name":"Example hospital","post_code":"xx-xxx","street":"Some street","booking_extra_fields":{"birth_date":true,"gender":true,"nin":true}}]},"specialization":{"_items":[{"id":"12","name":"Specialization example 12"}]}}"#
                )),
            api(
                "GET", Self.address + "/services",
                .json(
                    200,
                    #"{"_items":[{"id":"101","name":"USG","is_default":true,"is_price_from":false,"price":100,"service_id":"1","is_visible":true,"allowed_patients":{"minimum_age":18,"maximum_age":65}},{"id":"103","name":"EEG","price":null,"allowed_patients":null}]}"#
                )),
            api(
                "GET", Self.address + "/insurance-providers",
                .json(
                    200,
                    #"{"_items":[{"insurance_provider_id":"1","name":"Insurance provider 1","insurance_plans":{"_items":[{"insurance_plan_id":"999","name":"Insurance plan 999"}]}}]}"#
                )),
            api("GET", Self.address + "/calendar", .json(200, #"{"status":"enabled"}"#)),
            api(
                "POST", Self.address + "/calendar/enable",
                problem(409, #"{"errors":[],"message":"Calendar already enabled"}"#)),
        ])
        defer { server.stop() }
        let client = client(of: server)
        let facility = try client.getFacility(facilityID: "1", with: [.facilityDoctors])
        #expect(facility.doctors?.items.map(\.id) == ["123"])
        let doctor = try client.getDoctor(
            facilityID: "1", doctorID: "123", with: [.doctorAddresses, .addressBookingExtraFields])
        #expect(doctor.addresses?.items.first?.bookingExtraFields?.nin == true)
        #expect(doctor.specializations?.items.first?.name == "Specialization example 12")
        let services = try client.getAddressServices(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(services.map(\.id) == ["101", "103"])
        #expect(services[0].allowedPatients?.minimumAge == 18)
        #expect(services[1].price == nil)
        let insurers = try client.getAddressInsuranceProviders(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(insurers.first?.insurancePlans?.items.first?.insurancePlanID == "999")
        #expect(try client.getCalendar(facilityID: "1", doctorID: "123", addressID: "111").isEnabled)
        #expect(throws: DocplannerError.self) {
            try client.enableCalendar(facilityID: "1", doctorID: "123", addressID: "111")
        }
        let targets = try server.requests().api.map(\.target)
        #expect(targets[0] == Self.base + "/facilities/1?with=facility.doctors")
        #expect(
            targets[1] == Self.base + "/facilities/1/doctors/123?with=doctor.addresses%2Caddress.booking_extra_fields")
    }

    @Test func pullMode() throws {
        let batch = try #require(Fixtures.callbackExamples["PullingMultipleNotifications"])
        let one = try #require(Fixtures.callbackExamples["SlotBookedNotification"])
        let server = try scriptedDocplanner([
            api(
                "GET", "/notifications", .json(200, String(decoding: one, as: UTF8.self)),
                problem(404, #"{"errors":[],"message":"No notifications"}"#)),
            api(
                "GET", "/notifications/multiple", .json(200, String(decoding: batch, as: UTF8.self)),
                problem(404, #"{"errors":[],"message":"No notifications"}"#)),
            api(
                "POST", "/notifications/release", ScriptedResponse(status: 204),
                ScriptedResponse(status: 429, headers: ["Retry-After": "3600"])),
        ])
        defer { server.stop() }
        let client = client(of: server)
        let pulled = try #require(try client.pullNotification())
        #expect(pulled.name == "slot-booked")
        #expect(try client.pullNotification() == nil)
        let pulledBatch = try client.pullNotifications(limit: 5)
        #expect(pulledBatch.notifications.count == 2)
        #expect(pulledBatch.remaining == 5)
        #expect(try client.pullNotifications(limit: 5).notifications.isEmpty)
        #expect(throws: DocplannerError.self) { try client.pullNotifications(limit: 0) }
        try client.releaseNotifications()
        #expect(throws: DocplannerError.rateLimited(request: "POST /notifications/release", retryAfter: 3600)) {
            try client.releaseNotifications()
        }
        // The once-an-hour 429 of release does not hold other writes.
        #expect(client.limiter.acquire(.write, deadline: 0))
        let targets = try server.requests().api.map(\.target)
        #expect(targets.contains(Self.base + "/notifications/multiple?limit=5"))
    }
}
