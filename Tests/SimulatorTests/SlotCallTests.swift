import DocplannerAPI
import Foundation
import Simulator
import Testing
import TestSupport

/// Slots through the client: reading, replacing (with the document's rules), deleting, booking.
@Suite struct SlotCallTests {
    static let patient = Patient(name: "Anna", surname: "Nowak", email: "anna@example.com", phone: "+48500600700")

    static func window(
        _ start: Date, _ end: Date, _ services: [(String, Int)] = [("101", 30)], accepted: String? = nil,
        providers: [Int]? = nil
    ) -> ReplaceSlotsRequest.Slot {
        ReplaceSlotsRequest.Slot(
            start: DocplannerDateTime(start, timeZone: testTimeZone), end: DocplannerDateTime(end, timeZone: testTimeZone),
            addressServices: services.map { .init(addressServiceID: $0.0, duration: $0.1) }, insuranceAccepted: accepted,
            insuranceProviders: providers)
    }

    @Test func slotsAroundBookingsWithServices() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let slots = try fixture.client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 9), end: day(1, 10), with: [.slotServices])
        #expect(slots.map(\.start?.text) == [text(day(1, 9, 30)), text(day(1, 9, 45))])
        #expect(slots.map { $0.addressServices?.items.map(\.id) ?? [] } == [["101", "102"], ["102"]])
        // No slots: Docplanner's 404 "No slots found on given address" reads as an empty list.
        #expect(try fixture.client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(20), end: day(21)).isEmpty)
        #expect(fixture.statuses == [200, 404])
        #expect {
            try fixture.client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(1), end: day(182))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Date range must not exceed 180 days"
        }
    }

    @Test func replaceSlotsOverridesTheDaysItCovers() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15))]))
        var slots = try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(4), end: day(5))
        #expect(slots.map(\.start?.text) == [text(day(4, 14)), text(day(4, 14, 30))])
        // Other days keep their slots.
        #expect(try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(5), end: day(6)).count == 16)

        // An empty service list removes the day's slots.
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: [Self.window(day(4, 8), day(4, 9), [])]))
        slots = try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(4), end: day(5))
        #expect(slots.isEmpty)

        try client.deleteSlots(facilityID: "1", doctorID: "123", addressID: "111", day: "2027-01-20")
        #expect(try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(5), end: day(6)).isEmpty)
        #expect(fixture.statuses.suffix(2) == [204, 404])
    }

    @Test func duplicateReplaceIsIgnoredForThreeMinutes() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let a = ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15))])
        let b = ReplaceSlotsRequest(slots: [Self.window(day(4, 16), day(4, 17))])
        func starts() throws -> [String?] {
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(4), end: day(5)).map(\.start?.text)
        }
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", a)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", b)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", a)
        #expect(try starts() == [text(day(4, 16)), text(day(4, 16, 30))])
        fixture.clock.advance(by: 181)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", a)
        #expect(try starts() == [text(day(4, 14)), text(day(4, 14, 30))])
    }

    @Test func duplicateReplaceWhileProcessingIs429WithoutHoldingOtherWrites() throws {
        let fixture = try APIFixture(replaceSlotsProcessingTime: 30)
        defer { fixture.stop() }
        let client = fixture.client
        let request = ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15))])
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", request)
        #expect {
            try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", request)
        } throws: { error in
            guard case .rateLimited = error as? DocplannerError else { return false }
            return true
        }
        #expect(client.limiter.acquire(.write, deadline: fixture.clock.now()))
        fixture.clock.advance(by: 31)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", request)
    }

    @Test func replaceSlotsRules() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        func refusal(_ slots: [ReplaceSlotsRequest.Slot]) -> APIErrorBody? {
            do {
                try fixture.client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: slots))
                return nil
            } catch {
                guard case .badRequest(_, let body) = error else { return nil }
                return body
            }
        }
        let farAhead = refusal([Self.window(day(90, 9), day(90, 10))])
        #expect(farAhead?.message == "Invalid arguments")
        #expect(farAhead?.fieldErrors["slots[0].end"] == ["End date should be less than or equal to 09.04.2027, 09:00."])

        let twoDays = refusal([Self.window(day(5, 23), day(6, 1))])
        #expect(twoDays?.message == "Slot for date range \(text(day(5, 23))) - \(text(day(6, 1))) exceeds a single day boundary")

        let tooShort = refusal([Self.window(day(5, 9), day(5, 9).addingTimeInterval(30))])
        #expect(tooShort?.fieldErrors["slots[0].minimumDifferenceBetweenDates"] == [
            "The end date must be at least 1 minute after the start date"
        ])
        #expect(refusal([Self.window(day(5, 9), day(5, 10), [("999", 30)])])?.message == "Address service does not exist")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "with-insurance-only")])?.message
                == "Slot requires insurance (with-insurance-only), but insurance providers are missing")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "without-insurance-only", providers: [52])])?.message
                == "Insurance providers are not supported. Slot does not allow insurances (without-insurance-only)")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), providers: [77])])?.message
                == "Insurance provider(s) with id (77) not found for address id (111)")
        #expect(refusal([Self.window(day(5, 9), day(5, 10), accepted: "sometimes")])?.fieldErrors["slots[0].insurance_accepted"] != nil)
        #expect(refusal([])?.fieldErrors["slots"] == ["This value should not be blank."])
        // A valid one with insurance passes.
        #expect(refusal([Self.window(day(5, 9), day(5, 10), accepted: "with-insurance-only", providers: [1, 52])]) == nil)
    }

    @Test func replaceSlotsChecksTypes() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let token = try RawHTTP.token(fixture.simulator)
        let response = try RawHTTP.send(
            .put, fixture.simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111/slots",
            json: #"{"slots":[{"start":"2027-01-20T09:00:00+01:00","end":"tomorrow","address_services":[{"address_service_id":"101","duration":"30"}],"insurance_providers":["52"]}]}"#,
            headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == 400)
        let body = try #require(APIErrorBody.parse(response.body))
        #expect(body.fieldErrors["slots[0].end"]?.first?.hasPrefix("This value is not a valid datetime") == true)
        #expect(body.fieldErrors["slots[0].address_services[0].duration"] == ["This value should be of type integer."])
        #expect(body.fieldErrors["slots[0].insurance_providers[0]"] == ["This value should be of type integer."])
        let notJSON = try RawHTTP.send(
            .put, fixture.simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111/slots", json: "[1,2]",
            headers: ["Authorization": "Bearer \(token)"])
        #expect(notJSON.status == 400)
    }

    @Test func bookSlot() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let booking = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 11),
            BookSlotRequest(addressServiceID: "101", duration: 30, patient: Self.patient, comment: "First visit",
                            insuranceProviderID: "1", insurancePlanID: "999"))
        #expect(booking.status == "booked" && booking.bookedBy == "integration")
        #expect(booking.startAt?.text == text(day(1, 11)) && booking.endAt?.text == text(day(1, 11, 30)))
        #expect(booking.patient?.phone == "+48500600700" && booking.addressService?.id == "101")
        #expect(booking.insurance?.planID == "999")
        let slots = try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 11), end: day(1, 12))
        #expect(slots.map(\.start?.text) == [text(day(1, 11, 30)), text(day(1, 11, 45))])

        func notFound(_ start: Date, _ service: String, duration: Int = 30) -> String? {
            do {
                _ = try client.bookSlot(
                    facilityID: "1", doctorID: "123", addressID: "111", start: start,
                    BookSlotRequest(addressServiceID: service, duration: duration, patient: Self.patient))
                return nil
            } catch {
                guard case .notFound(_, let body) = error else { return "\(error)" }
                return body.message
            }
        }
        #expect(notFound(day(1, 11), "101") == "Unable to perform booking. Requested target slot (\(text(day(1, 11)))) not found")
        #expect(notFound(day(1, 12, 45), "101") == "Unable to perform booking. Slot (\(text(day(1, 12, 45)))) does not support service 101")
        #expect(notFound(day(1, 12), "121") == "Service does not exist")

        #expect {
            _ = try client.bookSlot(
                facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 12),
                BookSlotRequest(addressServiceID: "101", duration: 0, patient: Patient(name: "No phone")))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.fieldErrors["duration"] != nil && body.fieldErrors["patient.phone"] == ["This value should not be blank."]
        }
        #expect {
            _ = try client.bookSlot(
                facilityID: "1", doctorID: "234", addressID: "221", start: day(1, 12),
                BookSlotRequest(addressServiceID: "201", duration: 45, patient: Self.patient))
        } throws: { error in
            guard case .unprocessable = error as? DocplannerError else { return false }
            return true
        }
    }
}
