import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Slots through the client: reading, replacing (with the document's rules), deleting, booking.
@Suite struct SlotCallTests {
    static let patient = Patient(name: "Anna", surname: "Nowak", email: "anna@example.com", phone: "+48500600700")

    static func window(
        _ start: Date, _ end: Date, _ services: [(String, Int)] = [("101", 30)], accepted: String? = nil,
        providers: [Int]? = nil
    ) -> ReplaceSlotsRequest.Slot {
        ReplaceSlotsRequest.Slot(
            start: DocplannerDateTime(start, timeZone: testTimeZone),
            end: DocplannerDateTime(end, timeZone: testTimeZone),
            addressServices: services.map { .init(addressServiceID: $0.0, duration: $0.1) },
            insuranceAccepted: accepted,
            insuranceProviders: providers)
    }

    @Test func slotsAroundBookingsWithServices() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let slots = try fixture.client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 9), end: day(1, 10), with: [.slotServices]
        )
        #expect(slots.map(\.start?.text) == [text(day(1, 9, 30)), text(day(1, 9, 45))])
        #expect(slots.map { $0.addressServices?.items.map(\.id) ?? [] } == [["101", "102"], ["102"]])
        // No slots: Docplanner's 404 "No slots found on given address" reads as an empty list.
        #expect(
            try fixture.client.getSlots(
                facilityID: "1", doctorID: "123", addressID: "111", start: day(20), end: day(21)
            ).isEmpty)
        #expect(fixture.statuses == [200, 404])
        #expect {
            try fixture.client.getSlots(
                facilityID: "1", doctorID: "123", addressID: "111", start: day(1), end: day(182))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Date range must not exceed 180 days"
        }
    }

    /// `replaceSlots` "Overrides all existing slots for given date ranges": the units starting
    /// inside the ranges sent are replaced, the rest of the day stays.
    @Test func replaceSlotsReplacesTheUnitsStartingInsideTheRanges() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        func starts(_ from: Date, _ to: Date) throws -> [String?] {
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: from, end: to).map(
                \.start?.text)
        }
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111",
            ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15))]))
        #expect(try starts(day(4, 14), day(5)) == [text(day(4, 14)), text(day(4, 14, 30))])
        // The morning's units (09:00-13:00, USG every 30 and EKG every 15 minutes) start outside the range: they stay.
        #expect(try starts(day(4), day(4, 14)).count == 16)

        // A range whose address_services is empty removes the units starting inside it, and only those.
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111",
            ReplaceSlotsRequest(slots: [Self.window(day(4, 9), day(4, 10), [])]))
        #expect(try starts(day(4), day(4, 10)).isEmpty)
        #expect(try starts(day(4, 10), day(5)).first == text(day(4, 10)))
        // So does `"address_services": null`.
        let cleared = try RawHTTP.api(
            fixture.simulator, .put, "/facilities/1/doctors/123/addresses/111/slots",
            json: #"{"slots":[{"start":"\#(text(day(4, 10)))","end":"\#(text(day(4, 13)))","address_services":null}]}"#)
        #expect(cleared.status == 201)
        #expect(try starts(day(4), day(4, 14)).isEmpty)
        #expect(try starts(day(4), day(5)) == [text(day(4, 14)), text(day(4, 14, 30))])

        // deleteSlots clears the whole day.
        try client.deleteSlots(facilityID: "1", doctorID: "123", addressID: "111", day: "2027-01-20")
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(5), end: day(6)).isEmpty)
        #expect(fixture.statuses.suffix(2) == [204, 404])
        // Other days keep their units.
        #expect(try starts(day(6), day(7)).count == 16)
    }

    /// The trap a client must avoid: hours 09-17 replaced by 09-12 and 13-17 leave the 12:00
    /// and 12:30 units of the first feed bookable; a 12-13 range without services removes them.
    @Test func aGapBetweenRangesKeepsTheOldUnits() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        func replace(_ slots: [ReplaceSlotsRequest.Slot]) throws {
            try client.replaceSlots(
                facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: slots))
        }
        func starts() throws -> [String?] {
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(5, 12), end: day(5, 13))
                .map(\.start?.text)
        }
        try replace([Self.window(day(5, 9), day(5, 17))])
        try replace([Self.window(day(5, 9), day(5, 12)), Self.window(day(5, 13), day(5, 17))])
        #expect(try starts() == [text(day(5, 12)), text(day(5, 12, 30))])
        let booking = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(5, 12, 30),
            BookSlotRequest(addressServiceID: "101", duration: 30, patient: Self.patient))
        #expect(booking.startAt?.text == text(day(5, 12, 30)))
        #expect(try starts() == [text(day(5, 12))])

        try replace([Self.window(day(5, 12), day(5, 13), [])])
        #expect(try starts().isEmpty)
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(5, 11), end: day(5, 14))
                .map(\.start?.text)
                == [text(day(5, 11)), text(day(5, 11, 30)), text(day(5, 13)), text(day(5, 13, 30))])
    }

    /// Each address service of a range gives a unit every `duration` minutes while the visit
    /// fits; a start lists the services bookable there.
    @Test func unitsOfSeveralServices() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111",
            ReplaceSlotsRequest(slots: [Self.window(day(6, 8), day(6, 9, 20), [("101", 30), ("102", 20)])]))
        let slots = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(6, 8), end: day(6, 9), with: [.slotServices])
        #expect(
            slots.map(\.start?.text) == [
                text(day(6, 8)), text(day(6, 8, 20)), text(day(6, 8, 30)), text(day(6, 8, 40)),
            ])
        #expect(
            slots.map { $0.addressServices?.items.compactMap(\.id) ?? [] } == [
                ["101", "102"], ["102"], ["101"], ["102"],
            ])
        // At 09:00 only EKG fits: a USG visit would end at 09:30, after the range (which also
        // replaced the dataset's 09:00 and 09:15 units).
        let nine = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(6, 9), end: day(6, 9, 1),
            with: [.slotServices])
        #expect(nine.map { $0.addressServices?.items.compactMap(\.id) ?? [] } == [["102"]])
    }

    /// "Slots comes from different days" (PutSlotsValidationError): one day per request, the
    /// day of a slot being its start's date in the offset it was written with.
    @Test func replaceSlotsTakesOneDayPerRequest() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let path = "/facilities/1/doctors/123/addresses/111/slots"
        let twoDays = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"slots":[{"start":"\#(text(day(5, 9)))","end":"\#(text(day(5, 10)))"},{"start":"\#(text(day(6, 9)))","end":"\#(text(day(6, 10)))"}]}"#
        )
        #expect(twoDays.status == 400)
        #expect(twoDays.error?.message == "Slots comes from different days")
        #expect(twoDays.response.text.contains(#""errors":[]"#))
        // 2027-01-21T00:30:00+02:00 is 23:30 on the 20th in UTC+1, but it was written as the 21st.
        let offsets = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"slots":[{"start":"2027-01-20T22:00:00+01:00","end":"2027-01-20T22:30:00+01:00"},{"start":"2027-01-21T00:30:00+02:00","end":"2027-01-21T00:45:00+02:00"}]}"#
        )
        #expect(offsets.error?.message == "Slots comes from different days")
        let oneDay = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"slots":[{"start":"2027-01-20T09:00:00+01:00","end":"2027-01-20T10:00:00+01:00"},{"start":"2027-01-20T12:00:00+02:00","end":"2027-01-20T13:00:00+02:00"}]}"#
        )
        #expect(oneDay.status == 201)
        #expect(fixture.simulator.snapshot().requests.map(\.status) == [400, 400, 201])
    }

    /// `--lenient`: a request may span days, and each day a range starts on is cleared whole.
    @Test func lenientReplaceSlotsMixesDaysAndClearsThem() throws {
        let fixture = try APIFixture(lenient: true)
        defer { fixture.stop() }
        let client = fixture.client
        try client.replaceSlots(
            facilityID: "1", doctorID: "123", addressID: "111",
            ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15)), Self.window(day(5, 14), day(5, 15))]))
        for day in [day(4), day(5)] {
            let starts = try client.getSlots(
                facilityID: "1", doctorID: "123", addressID: "111", start: day, end: day.addingTimeInterval(86400)
            )
            .map(\.start?.text)
            #expect(starts == [text(day.addingTimeInterval(14 * 3600)), text(day.addingTimeInterval(14.5 * 3600))])
        }
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(6), end: day(7)).count
                == 16)
    }

    /// The same address and payload again within 3 minutes of the first is ignored (201).
    @Test func duplicateReplaceIsIgnoredForThreeMinutes() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let a = ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15))])
        let b = ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15), [("102", 15)])])
        func starts() throws -> [String?] {
            try client.getSlots(facilityID: "1", doctorID: "123", addressID: "111", start: day(4, 14), end: day(4, 15))
                .map(\.start?.text)
        }
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", a)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", b)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", a)
        #expect(try starts() == [text(day(4, 14)), text(day(4, 14, 15)), text(day(4, 14, 30)), text(day(4, 14, 45))])
        #expect(fixture.statuses == [201, 201, 201, 200])
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
        // Processed after 30 s: the same payload is then ignored (201) for 3 minutes.
        fixture.clock.advance(by: 31)
        let other = ReplaceSlotsRequest(slots: [Self.window(day(4, 14), day(4, 15), [("102", 15)])])
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", other)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", request)
        let services = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(4, 14), end: day(4, 14, 1),
            with: [.slotServices])
        #expect(services.first?.addressServices?.items.compactMap(\.id) == ["102"])
        #expect(fixture.statuses.suffix(4) == [429, 201, 201, 200])
        // 3 minutes after it finished, it counts again.
        fixture.clock.advance(by: 180)
        try client.replaceSlots(facilityID: "1", doctorID: "123", addressID: "111", request)
        let again = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(4, 14), end: day(4, 14, 1),
            with: [.slotServices])
        #expect(again.first?.addressServices?.items.compactMap(\.id) == ["101"])
    }

    @Test func replaceSlotsRules() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        func refusal(_ slots: [ReplaceSlotsRequest.Slot]) -> APIErrorBody? {
            do {
                try fixture.client.replaceSlots(
                    facilityID: "1", doctorID: "123", addressID: "111", ReplaceSlotsRequest(slots: slots))
                return nil
            } catch {
                guard case .badRequest(_, let body) = error else { return nil }
                return body
            }
        }
        let farAhead = refusal([Self.window(day(90, 9), day(90, 10))])
        #expect(farAhead?.message == "Invalid arguments")
        #expect(
            farAhead?.fieldErrors["slots[0].end"] == ["End date should be less than or equal to 09.04.2027, 09:00."])

        let twoDays = refusal([Self.window(day(5, 23), day(6, 1))])
        #expect(
            twoDays?.message
                == "Slot for date range \(text(day(5, 23))) - \(text(day(6, 1))) exceeds a single day boundary")

        let tooShort = refusal([Self.window(day(5, 9), day(5, 9).addingTimeInterval(30))])
        #expect(
            tooShort?.fieldErrors["slots[0].minimumDifferenceBetweenDates"] == [
                "The end date must be at least 1 minute after the start date"
            ])
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), [("999", 30)])])?.message == "Address service does not exist")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "with-insurance-only")])?.message
                == "Slot requires insurance (with-insurance-only), but insurance providers are missing")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "without-insurance-only", providers: [52])])?.message
                == "Insurance providers are not supported. Slot does not allow insurances (without-insurance-only)")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), providers: [77])])?.message
                == "Insurance provider(s) with id (77) not found for address id (111)")
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "sometimes")])?.fieldErrors[
                "slots[0].insurance_accepted"] != nil)
        #expect(refusal([])?.fieldErrors["slots"] == ["This value should not be blank."])
        // A valid one with insurance passes.
        #expect(
            refusal([Self.window(day(5, 9), day(5, 10), accepted: "with-insurance-only", providers: [1, 52])]) == nil)
    }

    /// ReplaceSlotsRequest as a schema validator reads it: types, undeclared members, ids as
    /// strings, `insurance_providers` integers, null only where nullable.
    @Test func replaceSlotsChecksTypes() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let path = "/facilities/1/doctors/123/addresses/111/slots"
        let typed = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"slots":[{"start":"2027-01-20T09:00:00+01:00","end":"tomorrow","address_services":[{"address_service_id":"101","duration":"30"}],"insurance_providers":["52"]}]}"#
        )
        #expect(typed.status == 400)
        let body = try #require(typed.error)
        #expect(body.fieldErrors["slots[0].end"]?.first?.hasPrefix("This value is not a valid datetime") == true)
        #expect(body.fieldErrors["slots[0].address_services[0].duration"] == ["This value should be of type integer."])
        #expect(body.fieldErrors["slots[0].insurance_providers[0]"] == ["This value should be of type integer."])

        let strict = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"doctor_id":"123","slots":[{"start":"2027-01-20T09:00:00+01:00","end":"2027-01-20T10:00:00+01:00","color":"red","address_services":[{"address_service_id":101,"duration":30,"price":100}]}]}"#
        )
        #expect(strict.status == 400)
        #expect(strict.error?.message == "Invalid arguments")
        #expect(
            strict.error?.fieldErrors == [
                "doctor_id": ["This field was not expected."],
                "slots[0].color": ["This field was not expected."],
                "slots[0].address_services[0].price": ["This field was not expected."],
                "slots[0].address_services[0].address_service_id": ["This value should be of type string."],
            ])
        let nullStart = try RawHTTP.api(
            fixture.simulator, .put, path, json: #"{"slots":[{"start":null,"end":"2027-01-20T10:00:00+01:00"}]}"#)
        #expect(nullStart.error?.fieldErrors["slots[0].start"] == ["This value should not be blank."])
        // address_services, insurance_accepted and insurance_providers are nullable.
        let nulls = try RawHTTP.api(
            fixture.simulator, .put, path,
            json:
                #"{"slots":[{"start":"2027-01-20T09:00:00+01:00","end":"2027-01-20T10:00:00+01:00","address_services":null,"insurance_accepted":null,"insurance_providers":null}]}"#
        )
        #expect(nulls.status == 201)

        let notJSON = try RawHTTP.api(fixture.simulator, .put, path, json: "[1,2]")
        #expect(notJSON.status == 400)
    }

    @Test func bookSlot() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let booking = try client.bookSlot(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 11),
            BookSlotRequest(
                addressServiceID: "101", duration: 30, patient: Self.patient, comment: "First visit",
                insuranceProviderID: "1", insurancePlanID: "999"))
        #expect(booking.status == "booked" && booking.bookedBy == "integration")
        #expect(booking.startAt?.text == text(day(1, 11)) && booking.endAt?.text == text(day(1, 11, 30)))
        #expect(booking.patient?.phone == "+48500600700" && booking.addressService?.id == "101")
        #expect(booking.insurance?.planID == "999")
        let slots = try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 11), end: day(1, 12))
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
        #expect(
            notFound(day(1, 11), "101")
                == "Unable to perform booking. Requested target slot (\(text(day(1, 11)))) not found")
        #expect(
            notFound(day(1, 12, 45), "101")
                == "Unable to perform booking. Slot (\(text(day(1, 12, 45)))) does not support service 101")
        #expect(notFound(day(1, 12), "121") == "Service does not exist")

        #expect {
            _ = try client.bookSlot(
                facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 12),
                BookSlotRequest(addressServiceID: "101", duration: 0, patient: Patient(name: "No phone")))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.fieldErrors["duration"] != nil
                && body.fieldErrors["patient.phone"] == ["This value should not be blank."]
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
