import DocplannerAPI
import Foundation
import HTTP1
import Simulator
import TestSupport
import Testing

/// PULL mode and `/notifications/release` through the client.
@Suite struct NotificationCallTests {
    @Test func pullQueueHandsOutEventsOnceInOrder() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, mode: .pull)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)
        #expect(try client.pullNotification() == nil)
        #expect(try client.pullNotifications(limit: 5).notifications.isEmpty)

        let (status, booked) = try RawHTTP.admin(
            simulator, "book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        #expect(status == 200)
        let bookingID = try #require(booked["booking"]?["id"]?.stringValue)
        _ = try RawHTTP.admin(simulator, "confirm", #"{"booking_id":"\#(bookingID)"}"#)
        _ = try RawHTTP.admin(simulator, "cancel", #"{"booking_id":"\#(bookingID)","canceled_by":"doctor"}"#)
        #expect(simulator.snapshot().pullQueue == 3)

        let first = try #require(try client.pullNotification())
        guard case .slotBooked(let data) = first.event else {
            Issue.record("expected slot-booked, got \(first.name)")
            return
        }
        #expect(
            data.visitBooking?.id == bookingID && data.address?.id == "111" && data.facility?.name == "Sample hospital")
        let batch = try client.pullNotifications(limit: 1)
        #expect(batch.notifications.map(\.name) == ["booking-confirmed"] && batch.remaining == 1)
        let rest = try client.pullNotifications(limit: 100)
        #expect(rest.notifications.map(\.name) == ["booking-canceled"] && rest.remaining == 0)
        guard case .bookingCanceled(let canceled) = rest.notifications[0].event else { return }
        #expect(canceled.visitBooking?.cancellingParty == "doctor")
        #expect(try client.pullNotification() == nil)

        // Release is for PUSH clients only.
        #expect {
            try client.releaseNotifications()
        } throws: { error in
            guard case .forbidden(_, let body) = error as? DocplannerError else { return false }
            return body.message == "You are not allowed to use this method"
        }
    }

    @Test func unpulledNotificationsExpireAfter72Hours() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, mode: .pull)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)
        _ = try RawHTTP.admin(
            simulator, "breaks",
            #"{"action":"create","address_id":"111","since":"\#(text(day(4, 9)))","till":"\#(text(day(4, 10)))"}"#)
        clock.advance(by: 72 * 3600 + 1)
        #expect(try client.pullNotification() == nil)
    }

    @Test func releaseOncePerHourResendsFailedPushes() throws {
        let receiver = try CallbackReceiver()
        defer { receiver.stop() }
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, callbackURL: receiver.url, realTimeBooking: false)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)

        receiver.answerAll(500)
        let (status, outcome) = try RawHTTP.admin(
            simulator, "book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        #expect(status == 200 && outcome["outcome"] == .string("booked"))
        #expect(simulator.snapshot().failedPushes == 1)
        #expect(receiver.events.map(\.name) == ["slot-booked"])

        receiver.answerAll(200)
        try client.releaseNotifications()
        try receiver.waitUntil { $0.filter { $0.name == "slot-booked" }.count == 2 }
        #expect(receiver.events[0].body == receiver.events[1].body)
        #expect(eventually { simulator.snapshot().deliveries.last?.redelivery == true })
        #expect(simulator.snapshot().failedPushes == 0)

        // A second release within the hour: 429 with Retry-After, and other writes go on.
        clock.advance(by: 600)
        #expect {
            try client.releaseNotifications()
        } throws: { error in
            (error as? DocplannerError) == .rateLimited(request: "POST /notifications/release", retryAfter: 3000)
        }
        #expect(client.limiter.acquire(.write, deadline: clock.now()))
        clock.advance(by: 3000)
        try client.releaseNotifications()
        #expect(simulator.snapshot().releases == 2)
    }
}
