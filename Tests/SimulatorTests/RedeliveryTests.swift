import DocplannerAPI
import Foundation
import HTTP1
import Simulator
import TestSupport
import Testing

/// The guide: a push answered 4xx/5xx (or not answered) is re-sent three times, after 1, 5
/// and 15 minutes, on the simulator's clock; then it waits for a release. Blocking events
/// are questions and are never re-sent.
@Suite struct RedeliveryTests {
    struct Setup {
        let clock = TestClock()
        let receiver: CallbackReceiver
        let simulator: DocplannerSimulator

        init() throws {
            receiver = try CallbackReceiver()
            simulator = try startSimulator(clock: clock, callbackURL: receiver.url, realTimeBooking: false)
        }

        func stop() {
            simulator.stop()
            receiver.stop()
        }

        var slotBooked: Int { receiver.events.filter { $0.name == "slot-booked" }.count }

        /// Waits until the scheduled re-send shows `resent` re-sends made.
        func waitForSchedule(_ check: @escaping ([SimulatorSnapshot.Redelivery]) -> Bool) -> Bool {
            eventually { check(simulator.snapshot().redeliveries) }
        }
    }

    @Test func failedPushIsResentAfter1_5And15Minutes() throws {
        let setup = try Setup()
        defer { setup.stop() }
        setup.receiver.answerAll(503)
        let (status, _) = try RawHTTP.admin(
            setup.simulator, "book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        #expect(status == 200)
        #expect(setup.slotBooked == 1)
        let start = setup.clock.now()
        func at(_ seconds: Double) -> String { text(Date(timeIntervalSince1970: start + seconds)) }
        #expect(setup.simulator.snapshot().redeliveries == [.init(name: "slot-booked", resent: 0, dueAt: at(60))])
        #expect(setup.simulator.snapshot().failedPushes == 1)

        setup.clock.advance(by: 60)
        try setup.receiver.waitUntil { $0.filter { $0.name == "slot-booked" }.count == 2 }
        #expect(setup.waitForSchedule { $0 == [.init(name: "slot-booked", resent: 1, dueAt: at(60 + 300))] })
        setup.clock.advance(by: 300)
        try setup.receiver.waitUntil { $0.filter { $0.name == "slot-booked" }.count == 3 }
        #expect(setup.waitForSchedule { $0 == [.init(name: "slot-booked", resent: 2, dueAt: at(60 + 300 + 900))] })
        setup.clock.advance(by: 900)
        try setup.receiver.waitUntil { $0.filter { $0.name == "slot-booked" }.count == 4 }
        // Three re-sends made: it now waits for a release.
        #expect(setup.waitForSchedule { $0.isEmpty })
        #expect(setup.simulator.snapshot().failedPushes == 1)
        let deliveries = setup.simulator.snapshot().deliveries
        #expect(deliveries.map(\.redelivery) == [false, true, true, true])
        #expect(deliveries.map(\.at) == [at(0), at(60), at(360), at(1260)])
        #expect(Set(setup.receiver.events.map(\.body)).count == 1)

        setup.receiver.answerAll(200)
        let client = makeClient(of: setup.simulator, clock: setup.clock)
        try client.releaseNotifications()
        try setup.receiver.waitUntil { $0.filter { $0.name == "slot-booked" }.count == 5 }
        #expect(eventually { setup.simulator.snapshot().failedPushes == 0 })
    }

    @Test func aResendThatIsAcceptedEndsIt() throws {
        let setup = try Setup()
        defer { setup.stop() }
        setup.receiver.answerAll(400)
        _ = try RawHTTP.admin(setup.simulator, "confirm", #"{"booking_id":"700003"}"#)
        #expect(setup.simulator.snapshot().redeliveries.map(\.name) == ["booking-confirmed"])
        setup.receiver.answerAll(200)
        setup.clock.advance(by: 60)
        try setup.receiver.waitUntil { $0.filter { $0.name == "booking-confirmed" }.count == 2 }
        #expect(eventually { setup.simulator.snapshot().failedPushes == 0 })
        #expect(setup.simulator.snapshot().redeliveries.isEmpty)
        #expect(setup.simulator.snapshot().deliveries.last?.redelivery == true)
    }

    @Test func blockingQuestionsAreNeverResent() throws {
        let receiver = try CallbackReceiver()
        defer { receiver.stop() }
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, callbackURL: receiver.url)
        defer { simulator.stop() }
        receiver.answerAll(500)
        let (_, booking) = try RawHTTP.admin(simulator, "book", #"{"address_id":"111","start":"\#(text(day(1, 11)))"}"#)
        #expect(booking["outcome"] == .string("denied"))
        let (_, move) = try RawHTTP.admin(simulator, "move", #"{"booking_id":"700003","start":"\#(text(day(2, 12)))"}"#)
        #expect(move["outcome"] == .string("denied"))
        #expect(receiver.events.map(\.name) == ["slot-booking", "booking-moving"])
        #expect(simulator.snapshot().failedPushes == 0)
        #expect(simulator.snapshot().redeliveries.isEmpty)
    }
}
