import DocplannerAPI
import Foundation
import HTTP1
import Simulator
import TestSupport
import Testing

/// PUSH mode: acting as a patient or doctor through the admin API sends the document's
/// callbacks to a local receiver, and the blocking ones decide.
@Suite struct PushCallbackTests {
    struct Setup {
        let receiver: CallbackReceiver
        let simulator: DocplannerSimulator

        init(realTimeBooking: Bool = true) throws {
            receiver = try CallbackReceiver()
            simulator = try startSimulator(callbackURL: receiver.url, realTimeBooking: realTimeBooking)
        }

        func stop() {
            simulator.stop()
            receiver.stop()
        }

        func admin(_ action: String, _ json: String) throws -> [String: JSONValue] {
            let (status, body) = try RawHTTP.admin(simulator, action, json)
            #expect(status == 200, "\(action): \(body)")
            return body
        }

        /// The received event with `name`, shape-checked and decoded.
        func event(_ name: String) throws -> DocplannerNotification {
            let received = try #require(receiver.events.last { $0.name == name })
            #expect(received.method == "POST")
            #expect(
                received.headers.contains { $0.name.lowercased() == "content-type" && $0.value == "application/json" })
            CallbackShapes.check(received.body)
            return try DocplannerNotification.decode(Data(received.body))
        }
    }

    @Test func patientBookingAsksFirstThenPushesSlotBooked() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let outcome = try setup.admin(
            "book",
            #"{"address_id":"111","start":"\#(text(day(1, 11)))","address_service_id":"101","comment":"Back pain","patient":{"name":"Ewa","surname":"Lis","phone":"+48500100200"}}"#
        )
        #expect(outcome["outcome"] == .string("booked"))
        #expect(outcome["events"] == .array([.string("slot-booking"), .string("slot-booked")]))
        #expect(setup.receiver.events.map(\.name) == ["slot-booking", "slot-booked"])
        let bookingID = try #require(outcome["booking"]?["id"]?.stringValue)

        let asked = try setup.event("slot-booking")
        #expect(asked.isBlocking)
        guard case .slotBooking(let request) = asked.event else { throw CancellationError() }
        #expect(request.visitBookingRequest?.startAt?.text == text(day(1, 11)))
        #expect(request.visitBookingRequest?.patient?.name == "Ewa")
        #expect(request.visitBookingRequest?.addressService?.id == "101")

        let booked = try setup.event("slot-booked")
        guard case .slotBooked(let data) = booked.event else { throw CancellationError() }
        #expect(data.visitBooking?.id == bookingID && data.visitBooking?.bookedBy == "user")
        #expect(data.visitBooking?.canceledBy == "" && data.visitBooking?.comment == "Back pain")
        #expect(data.doctor?.surname == "Doctor 123" && data.address?.street == "Some street 1")
        #expect(booked.createdAt?.text == text(day(0, 9)))
        #expect(setup.simulator.snapshot().booking(bookingID)?.status == "booked")
    }

    @Test func partnerRefusalDeniesTheBooking() throws {
        let setup = try Setup()
        defer { setup.stop() }
        setup.receiver.answer { event, _ in
            event == "slot-booking"
                ? HTTPResponse(
                    status: 409, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"error_code":"SLOT_TAKEN"}"#.utf8))
                : HTTPResponse(status: 200)
        }
        let before = setup.simulator.snapshot().bookings.count
        let outcome = try setup.admin("book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        #expect(outcome["outcome"] == .string("denied"))
        #expect(outcome["partner_status"] == .int(409) && outcome["error_code"] == .string("SLOT_TAKEN"))
        #expect(setup.receiver.events.map(\.name) == ["slot-booking"])
        #expect(setup.simulator.snapshot().bookings.count == before)
        #expect(setup.simulator.snapshot().deliveries.last?.errorCode == .string("SLOT_TAKEN"))

        // An unreachable or failing partner denies too.
        setup.receiver.answerAll(503)
        #expect(
            try setup.admin("book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)["outcome"]
                == .string("denied"))
    }

    /// The guide's custom error messages: a 4xx with `Content-Type: application/json` and an
    /// `error_code` (a number of Docplanner's dictionary). The code is kept as the JSON value
    /// it was; another content type carries none; only 2xx approves.
    @Test func errorCodesAreKeptAsTheirJSONValue() throws {
        let setup = try Setup()
        defer { setup.stop() }
        func answer(_ status: Int, _ contentType: String, _ body: String) {
            setup.receiver.answer { event, _ in
                event == "slot-booking"
                    ? HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(body.utf8))
                    : HTTPResponse(status: 200)
            }
        }
        func book() throws -> [String: JSONValue] {
            try setup.admin("book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        }
        answer(409, "application/json; charset=utf-8", #"{"error_code":3,"message":"taken"}"#)
        var outcome = try book()
        #expect(outcome["outcome"] == .string("denied") && outcome["error_code"] == .int(3))
        #expect(setup.simulator.snapshot().deliveries.last?.errorCode == .int(3))

        answer(422, "text/plain", #"{"error_code":5}"#)
        outcome = try book()
        #expect(outcome["outcome"] == .string("denied") && outcome["error_code"] == nil)
        #expect(setup.simulator.snapshot().deliveries.last?.errorCode == nil)
        #expect(setup.simulator.snapshot().deliveries.last?.status == 422)

        // A 3xx is no approval either; a 2xx is.
        answer(302, "application/json", "{}")
        #expect(try book()["outcome"] == .string("denied"))
        answer(202, "application/json", "{}")
        #expect(try book()["outcome"] == .string("booked"))
        #expect(setup.simulator.snapshot().deliveries.filter(\.blocking).map(\.status) == [409, 422, 302, 202])
    }

    @Test func doctorBookingAndRealTimeOffSkipTheQuestion() throws {
        let setup = try Setup(realTimeBooking: false)
        defer { setup.stop() }
        _ = try setup.admin("book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        _ = try setup.admin("book", #"{"address_id":"112","start":"\#(text(day(1, 14)))","booked_by":"doctor"}"#)
        #expect(setup.receiver.events.map(\.name) == ["slot-booked", "slot-booked"])
        guard case .slotBooked(let data) = try setup.event("slot-booked").event else { throw CancellationError() }
        #expect(data.visitBooking?.bookedBy == "doctor" && data.address?.id == "112")
        let (status, refused) = try RawHTTP.admin(
            setup.simulator, "book", #"{"address_id":"111","start":"\#(text(day(1, 9)))"}"#)
        #expect(status == 409 && refused["error"]?.stringValue?.contains("no free slot") == true)
    }

    @Test func cancelConfirmPresenceAndPayment() throws {
        let setup = try Setup()
        defer { setup.stop() }
        _ = try setup.admin("confirm", #"{"booking_id":"700003"}"#)
        guard case .bookingConfirmed(let confirmed) = try setup.event("booking-confirmed").event else {
            throw CancellationError()
        }
        #expect(confirmed.visitBooking?.id == "700003" && confirmed.visitBooking?.status == "booked")

        _ = try setup.admin("presence", #"{"booking_id":"700001","presence":"ABSENT"}"#)
        guard case .presenceMarked(let presence) = try setup.event("presence-marked").event else {
            throw CancellationError()
        }
        #expect(presence.presence?.text == "ABSENT" && presence.visitBooking?.id == "700001")
        #expect(presence.visitBooking?.patient?.isReturning == false)
        #expect(setup.simulator.snapshot().booking("700001")?.presence == "absent")

        _ = try setup.admin("payment", #"{"booking_id":"700004","status":"refunded"}"#)
        guard case .bookingPaymentStatusChanged(let payment) = try setup.event("booking-payment-status-changed").event
        else {
            throw CancellationError()
        }
        #expect(
            payment.visitPaymentStatus?.statusFrom == "successful" && payment.visitPaymentStatus?.statusTo == "refunded"
        )

        _ = try setup.admin("cancel", #"{"booking_id":"700003","canceled_by":"doctor"}"#)
        guard case .bookingCanceled(let canceled) = try setup.event("booking-canceled").event else {
            throw CancellationError()
        }
        #expect(canceled.visitBooking?.status == "canceled" && canceled.visitBooking?.canceledBy == "doctor")
        #expect(canceled.visitBooking?.canceledAt?.text == text(day(0, 9)))
        let (status, _) = try RawHTTP.admin(setup.simulator, "cancel", #"{"booking_id":"700003"}"#)
        #expect(status == 409)
    }

    @Test func moveAsksWithBookingMovingThenPushesBookingMoved() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let outcome = try setup.admin(
            "move", #"{"booking_id":"700003","start":"\#(text(day(2, 12)))","moved_by":"doctor"}"#)
        #expect(outcome["outcome"] == .string("moved"))
        let newID = try #require(outcome["booking"]?["id"]?.stringValue)
        #expect(setup.receiver.events.map(\.name) == ["booking-moving", "booking-moved"])

        guard case .bookingMoving(let moving) = try setup.event("booking-moving").event else {
            throw CancellationError()
        }
        #expect(moving.cancelingBooking?.id == "700003" && moving.cancelingBooking?.cancelingBy == "doctor")
        #expect(
            moving.creatingBooking?.startAt?.text == text(day(2, 12)) && moving.creatingBooking?.bookingBy == "doctor")

        guard case .bookingMoved(let moved) = try setup.event("booking-moved").event else { throw CancellationError() }
        #expect(moved.oldVisitBooking?.id == "700003" && moved.oldVisitBooking?.status == "canceled")
        #expect(moved.newVisitBooking?.id == newID && moved.newVisitBooking?.startAt?.text == text(day(2, 12)))
        #expect(setup.simulator.snapshot().booking("700003")?.newestID == newID)
    }

    @Test func refusedMoveLeavesTheBooking() throws {
        let setup = try Setup()
        defer { setup.stop() }
        setup.receiver.answer { event, _ in
            HTTPResponse(
                status: event == "booking-moving" ? 422 : 200, headers: [("Content-Type", "application/json")],
                body: Array(#"{"error_code":"DOCTOR_UNAVAILABLE"}"#.utf8))
        }
        let outcome = try setup.admin("move", #"{"booking_id":"700003","start":"\#(text(day(2, 12)))"}"#)
        #expect(outcome["outcome"] == .string("denied") && outcome["error_code"] == .string("DOCTOR_UNAVAILABLE"))
        #expect(setup.receiver.events.map(\.name) == ["booking-moving"])
        #expect(setup.simulator.snapshot().booking("700003")?.status == "booked")
    }

    @Test func breaksAddressServicesAndCommercialType() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let created = try setup.admin(
            "breaks",
            #"{"action":"create","address_id":"111","since":"\#(text(day(4, 9)))","till":"\#(text(day(4, 10)))"}"#)
        let breakID = try #require(created["break_id"]?.stringValue)
        guard case .breakCreated(let data) = try setup.event("break-created").event else { throw CancellationError() }
        #expect(data.calendarBreak?.id == breakID && data.calendarBreak?.since?.text == text(day(4, 9)))
        _ = try setup.admin(
            "breaks",
            #"{"action":"move","break_id":"\#(breakID)","since":"\#(text(day(4, 11)))","till":"\#(text(day(4, 12)))"}"#)
        guard case .breakMoved(let movedBreak) = try setup.event("break-moved").event else { throw CancellationError() }
        #expect(movedBreak.calendarBreak?.till?.text == text(day(4, 12)))
        _ = try setup.admin("breaks", #"{"action":"remove","break_id":"\#(breakID)"}"#)
        _ = try setup.event("break-removed")

        let service = try setup.admin(
            "address-services",
            #"{"action":"create","address_id":"111","service_id":"3","price":90,"description":"EEG"}"#)
        let serviceID = try #require(service["address_service_id"]?.stringValue)
        guard case .addressServiceCreated(let createdService) = try setup.event("address-service-created").event else {
            throw CancellationError()
        }
        #expect(createdService.addressService?.id == serviceID && createdService.addressService?.serviceID == "3")
        _ = try setup.admin("address-services", #"{"action":"change","address_service_id":"\#(serviceID)","price":95}"#)
        guard case .addressServiceChanged(let changed) = try setup.event("address-service-changed").event else {
            throw CancellationError()
        }
        #expect(changed.addressService?.price == 95)
        _ = try setup.admin("address-services", #"{"action":"delete","address_service_id":"\#(serviceID)"}"#)
        _ = try setup.event("address-service-deleted")

        _ = try setup.admin("commercial-type", #"{"address_id":"111","commercial_type":"basic"}"#)
        guard case .addressCommercialTypeChanged(let type) = try setup.event("address-commercial-type-changed").event
        else {
            throw CancellationError()
        }
        #expect(type.address?.commercialType == "basic")
        #expect(setup.receiver.events.count == 7)
    }

    @Test func adminRefusesBadRequests() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let (missing, body) = try RawHTTP.admin(setup.simulator, "book", #"{"start":"tomorrow"}"#)
        #expect(missing == 400)
        #expect(body["error"]?.stringValue?.contains("address_id") == true)
        #expect(try RawHTTP.admin(setup.simulator, "cancel", #"{"booking_id":"1"}"#).0 == 404)
        #expect(try RawHTTP.admin(setup.simulator, "presence", #"{"booking_id":"700001","presence":"maybe"}"#).0 == 400)
        #expect(try RawHTTP.admin(setup.simulator, "book", "[]").0 == 400)
        #expect(setup.receiver.events.isEmpty)
    }
}
