import Testing

@testable import Daemon

@Suite struct CallbackClassifierTests {
    func classify(_ method: String = "POST", _ body: String) -> CallbackClassification {
        CallbackClassifier.classify(method: method, body: Array(body.utf8))
    }

    @Test func getHeadAndEmptyPostArePings() {
        #expect(classify("GET", "") == .ping)
        #expect(classify("HEAD", "") == .ping)
        #expect(classify("POST", "") == .ping)
        #expect(classify("POST", " \r\n") == .ping)
        #expect(classify("POST", "{}") == .ping)
        #expect(classify("POST", #"{"data":{}}"#) == .ping)
    }

    @Test func unparseableBodiesAreNamedAsSuch() {
        #expect(
            classify("POST", "{not json")
                == .unparseable(reason: "the body is not valid JSON: expected a member name at byte 1"))
        #expect(classify("POST", "[1,2]") == .unparseable(reason: "the body is not a JSON object"))
    }

    @Test func bookingEventKeysOnNameBookingAndTime() {
        let body = #"""
            {"name":"slot-booked","data":{"facility":{"id":"3"},"doctor":{"id":"1"},"address":{"id":"2"},
             "visit_booking":{"id":"12345","start_at":"2026-12-01T10:00:00+01:00"}},
             "created_at":"2026-11-25T10:00:00+01:00"}
            """#
        guard case .event(let name, let key, let ordering, let fields, _) = classify("POST", body) else {
            Issue.record("not an event")
            return
        }
        #expect(name == "slot-booked")
        #expect(key == "slot-booked|visit_booking:12345|2026-11-25T10:00:00+01:00")
        #expect(ordering == "booking:12345")
        #expect(fields == .init(bookingID: "12345", doctorID: "1", addressID: "2", facilityID: "3"))
    }

    @Test func sameEventResentHasSameKeyAndOtherTimeDiffers() {
        let first =
            #"{"name":"booking-canceled","data":{"visit_booking":{"id":7}},"created_at":"2026-11-25T10:00:00+01:00"}"#
        let resent =
            #"{"created_at":"2026-11-25T10:00:00+01:00","name":"booking-canceled","data":{"visit_booking":{"id":"7"}}}"#
        let later =
            #"{"name":"booking-canceled","data":{"visit_booking":{"id":"7"}},"created_at":"2026-11-25T10:05:00+01:00"}"#
        guard case .event(_, let a, _, _, _) = classify("POST", first),
            case .event(_, let b, _, _, _) = classify("POST", resent),
            case .event(_, let c, _, _, _) = classify("POST", later)
        else {
            Issue.record("not events")
            return
        }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func breakEventsOrderPerCalendar() {
        let body =
            #"{"name":"break-created","data":{"facility":{"id":"1"},"doctor":{"id":"2"},"address":{"id":"3"},"break":{"id":"b9"}},"created_at":"T"}"#
        guard case .event(_, let key, let ordering, _, _) = classify("POST", body) else {
            Issue.record("not an event")
            return
        }
        #expect(key == "break-created|break:b9|T")
        #expect(ordering == "calendar:1/2/3")
    }

    @Test func unknownEventIsStillAnEventKeyedOnItsData() {
        guard case .event(let name, let key, _, _, _) = classify("POST", #"{"name":"mystery-event","data":{"x":1}}"#)
        else {
            Issue.record("not an event")
            return
        }
        #expect(name == "mystery-event")
        #expect(key.hasPrefix("mystery-event|data:"))
    }
}
