import DocplannerAPI
import Foundation
import Testing

/// Events beyond the document's examples: unknown names, missing or odd fields.
@Suite struct CallbackDecodingTests {
    @Test func unknownEventKeepsRawJSON() throws {
        let body =
            #"{"name":"doctor-retired","data":{"doctor":{"id":"9"},"visit_booking":{"id":"77"},"n":1.5,"flag":true},"created_at":"2024-01-02T03:04:05+02:00"}"#
        let notification = try DocplannerNotification.decode(Data(body.utf8))
        #expect(notification.name == "doctor-retired")
        guard case .unknown(let name, let data) = notification.event else {
            Issue.record("expected unknown")
            return
        }
        #expect(name == "doctor-retired")
        #expect(data["doctor"]?["id"] == .string("9"))
        #expect(data["n"] == .double(1.5))
        #expect(data["flag"] == .bool(true))
        #expect(notification.identityKey == "doctor-retired|visit_booking:77|2024-01-02T03:04:05+02:00")
        #expect(notification.orderingKey == "booking:77")
        #expect(notification.isBlocking == false)
        // Re-encoded, the raw data survives.
        let again = try DocplannerNotification.decode(JSONEncoder().encode(notification))
        #expect(again == notification)
    }

    @Test func knownEventWithMissingAndOddFields() throws {
        // No facility, numbers for ids and phone, null address service, unexpected types.
        let body = #"""
            {"name":"slot-booked","created_at":"2024-01-02T03:04:05+02:00",
             "data":{"doctor":{"id":123},"address":{"id":"5"},
                     "visit_booking":{"id":42,"duration":"30","visit_payment":"true","address_service":null,
                                      "patient":{"phone":48123123123,"is_returning":1},"canceled_by":"",
                                      "insurance":"none","extra":{"x":1}}}}
            """#
        let notification = try DocplannerNotification.decode(Data(body.utf8))
        guard case .slotBooked(let data) = notification.event else {
            Issue.record("expected slot-booked")
            return
        }
        #expect(data.facility == nil)
        #expect(data.doctor?.id == "123")
        #expect(data.visitBooking?.id == "42")
        #expect(data.visitBooking?.duration == 30)
        #expect(data.visitBooking?.visitPayment == true)
        #expect(data.visitBooking?.addressService == nil)
        #expect(data.visitBooking?.insurance == nil)
        #expect(data.visitBooking?.patient?.phone == "48123123123")
        #expect(data.visitBooking?.patient?.isReturning == true)
        #expect(notification.identityKey == "slot-booked|visit_booking:42|2024-01-02T03:04:05+02:00")
        #expect(notification.orderingKey == "booking:42")
    }

    @Test func eventWithoutDataOrName() throws {
        let noData = try DocplannerNotification.decode(Data(#"{"name":"break-created"}"#.utf8))
        guard case .breakCreated(let data) = noData.event else {
            Issue.record("expected break-created")
            return
        }
        #expect(data.calendarBreak == nil)
        #expect(noData.createdAt == nil)
        #expect(noData.orderingKey == "calendar://")

        let noName = try DocplannerNotification.decode(Data(#"{"data":{"a":1}}"#.utf8))
        #expect(noName.name == "")
        #expect(noName.event == .unknown(name: "", data: .object(["a": .int(1)])))
        // Without a resource the identity falls back to a digest of the data.
        #expect(noName.identityKey.hasPrefix("|data:"))
    }

    @Test func theTreeReadingAndFoundationsDecoderAgreeOnEveryExample() throws {
        // The callback endpoint reads a notification member by member from the parsed tree;
        // `Decodable` callers (Foundation's decoder here) go through the same reading.
        for name in Fixtures.callbackNames {
            let body = try #require(Fixtures.callbackExamples[name])
            let read = try DocplannerNotification.decode(body)
            #expect(try JSONDecoder().decode(DocplannerNotification.self, from: body) == read, "\(name)")
            #expect(try JSONValueDecoder().decode(DocplannerNotification.self, from: [UInt8](body)) == read)
        }
    }

    @Test func aKnownEventWhoseDataIsNotAnObjectKeepsItRaw() throws {
        let odd = try DocplannerNotification.decode(Data(#"{"name":"slot-booked","data":[1,"x"]}"#.utf8))
        #expect(odd.event == .unknown(name: "slot-booked", data: .array([.int(1), .string("x")])))
        let nullData = try DocplannerNotification.decode(Data(#"{"name":"mystery","data":null}"#.utf8))
        #expect(nullData.event == .unknown(name: "mystery", data: .object([:])))
        // A nested member of the wrong kind is nil, the rest of the event stays.
        let body = #"{"name":"slot-booked","data":{"doctor":"123","visit_booking":{"id":"9","start_at":5}}}"#
        guard case .slotBooked(let data) = try DocplannerNotification.decode(Data(body.utf8)).event else {
            Issue.record("expected slot-booked")
            return
        }
        #expect(data.doctor == nil && data.visitBooking?.id == "9" && data.visitBooking?.startAt == nil)
        // A body that is JSON but not an object is an error that says what it found.
        #expect {
            try DocplannerNotification.decode(Data("[1]".utf8))
        } throws: { error in
            "\(error)".contains("an array")
        }
    }

    @Test func notJSONIsAnError() {
        #expect {
            try DocplannerNotification.decode(Data("not json".utf8))
        } throws: { error in
            guard case .undecodable(let what, _) = error as? DocplannerError else { return false }
            return what == "notification" && !"\(error)".contains("\n")
        }
    }

    @Test func presenceReadsBothSpellings() throws {
        let booking = try JSONDecoder().decode(Booking.self, from: Data(#"{"id":"1","presence":"present"}"#.utf8))
        #expect(booking.presence?.state == .present)
        #expect(PatientPresence("ABSENT").state == .absent)
        #expect(PatientPresence("late").state == nil)
        #expect(PatientPresence(.present).text == "PRESENT")
    }

    @Test func dateTimesParseAndFormat() throws {
        let date = try #require(DocplannerDateTime.parse("2020-12-01T00:00:00+01:00"))
        #expect(date == Date(timeIntervalSince1970: 1_606_777_200))
        #expect(DocplannerDateTime.parse("2020-11-30T23:00:00Z") == date)
        #expect(DocplannerDateTime.parse("2020-11-30T23:00:00.000+0000") == date)
        #expect(DocplannerDateTime.parse("2020-12-01T00:00:00") == nil)
        #expect(DocplannerDateTime.parse("2021-02-30T00:00:00+01:00") == nil)
        #expect(DocplannerDateTime.parse("null,") == nil)
        let warsaw = try #require(TimeZone(identifier: "Europe/Warsaw"))
        #expect(DocplannerDateTime(date, timeZone: warsaw).text == "2020-12-01T00:00:00+01:00")
        #expect(DocplannerDateTime(date, timeZone: TimeZone(secondsFromGMT: 0)!).text == "2020-11-30T23:00:00+00:00")
        // Summer time in Warsaw is +02:00.
        let july = try #require(DocplannerDateTime.parse("2021-07-01T12:00:00+02:00"))
        #expect(DocplannerDateTime(july, timeZone: warsaw).text == "2021-07-01T12:00:00+02:00")
        #expect(DocplannerDateTime.formatDay(date, timeZone: warsaw) == "2020-12-01")
    }

    /// The parse's date arithmetic agrees with Foundation's Gregorian calendar: every day of
    /// years around leap rules (1900, 2000, 2024, 2100) and random instants with offsets
    /// (from 1600: before 1582 Foundation's calendar is Julian); days past a month's end are
    /// refused.
    @Test func parsedDatesAgreeWithFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        func text(_ year: Int, _ month: Int, _ day: Int, _ time: String = "00:00:00", _ zone: String = "Z") -> String {
            String(format: "%04d-%02d-%02dT%@%@", year, month, day, time, zone)
        }
        for year in [1900, 1970, 1999, 2000, 2023, 2024, 2100] {
            for month in 1...12 {
                let length = calendar.range(
                    of: .day, in: .month,
                    for: calendar.date(
                        from: DateComponents(year: year, month: month, day: 1))!)!.count
                for day in 1...31 {
                    let parsed = DocplannerDateTime.parse(text(year, month, day))
                    if day > length {
                        #expect(parsed == nil, "\(text(year, month, day))")
                    } else {
                        #expect(
                            parsed == calendar.date(from: DateComponents(year: year, month: month, day: day)),
                            "\(text(year, month, day))")
                    }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let (year, month, day) = (
                Int.random(in: 1600...9999, using: &generator), Int.random(in: 1...12, using: &generator),
                Int.random(in: 1...28, using: &generator)
            )
            let (hour, minute, second) = (
                Int.random(in: 0...23, using: &generator), Int.random(in: 0...59, using: &generator),
                Int.random(in: 0...59, using: &generator)
            )
            let offset =
                Int.random(in: -14...14, using: &generator) * 3600 + [0, 1800, 2700].randomElement(using: &generator)!
            let sign = offset < 0 ? "-" : "+"
            let zone = String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
            let written = text(year, month, day, String(format: "%02d:%02d:%02d", hour, minute, second), zone)
            let expected = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            )!.addingTimeInterval(Double(-offset))
            #expect(DocplannerDateTime.parse(written) == expected, "\(written)")
        }
    }

    @Test func errorBodiesOfBothShapes() throws {
        let array = try #require(APIErrorBody.parse(Data(#"{"errors":[],"message":"Object not found"}"#.utf8)))
        #expect(array.message == "Object not found")
        #expect(array.errors.isEmpty && array.fieldErrors.isEmpty)
        #expect(array.summary == "Object not found")

        let object = try #require(
            APIErrorBody.parse(
                Data(
                    #"""
                    {"errors":{"slots[1].end":["End date should be less than or equal to 15.05.2021, 11:45."]},"message":"Invalid arguments"}
                    """#.utf8)))
        #expect(object.fieldErrors == ["slots[1].end": ["End date should be less than or equal to 15.05.2021, 11:45."]])
        #expect(
            object.summary
                == "Invalid arguments (slots[1].end: End date should be less than or equal to 15.05.2021, 11:45.)")

        let strings = try #require(APIErrorBody.parse(Data(#"{"errors":["a","b"],"message":"m"}"#.utf8)))
        #expect(strings.errors == ["a", "b"])
        let oauth = try #require(
            APIErrorBody.parse(Data(#"{"error":"invalid_client","error_description":"Bad secret"}"#.utf8)))
        #expect(oauth.message == "Bad secret")
    }
}
