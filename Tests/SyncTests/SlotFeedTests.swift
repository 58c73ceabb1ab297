import DocplannerAPI
import Foundation
import Logging
import Partner
import SQLite
import Simulator
import Store
import TestSupport
import Testing

@testable import Sync

/// The clinic's hours fed to a live simulator by the outbound slot feed, on a test clock:
/// every fed day ends on Docplanner exactly as the clinic has it, whatever was there.
@Suite(.serialized) final class SlotFeedTests {
    /// UTC+1 without daylight saving, as the simulator's calendars.
    static let zone = TimeZone(secondsFromGMT: 3600)!
    /// 2027-01-15T00:00:00+01:00, the test clock's day.
    static let today = Date(timeIntervalSince1970: 1_800_000_000 - 9 * 3600)

    let directory: TemporaryDirectory
    let clock = TestClock()
    let simulator: DocplannerSimulator
    let client: DocplannerClient
    let store: Store
    let partner: EmbeddedPartner
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-slot-feed")
        simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(
                clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil, timeZone: Self.zone),
            clock: clock)
        try simulator.start()
        client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: Self.zone,
                rateLimits: RateLimitPolicy(
                    reads: .init(limit: 100_000, period: 3600), writes: .init(limit: 100_000, period: 60))),
            clock: clock)
        store = try Store(path: directory.file("store.sqlite"))
        partner = try EmbeddedPartner(path: directory.file("partner.sqlite"))
    }

    deinit { directory.remove() }

    func processor(daysPerRun: Int = 100) -> OutboundProcessor {
        let clock = clock
        return OutboundProcessor(
            queue: store.outbox, docplanner: client, calendar: partner, horizonWeeks: 12, logger: Logger(label: "test"),
            slotDaysPerRun: daysPerRun, now: { Date(timeIntervalSince1970: clock.now()) })
    }

    /// Runs one slot-feed job for the calendar.
    @discardableResult
    func feed(daysPerRun: Int = 100) throws -> OutboundProcessor.Sent {
        try processor(daysPerRun: daysPerRun).perform(OutboundJob(kind: .slots, calendar: calendar), attempt: 0)
    }

    /// Replaces the calendar's weekly hours (every weekday) as clinic software would.
    func setHours(_ windows: [(String, String)], weekdays: ClosedRange<Int> = 1...7) throws {
        let clinic = try Database(path: directory.file("partner.sqlite"))
        var sql = "BEGIN; DELETE FROM working_hours;"
        for weekday in weekdays {
            for (start, end) in windows {
                sql += """
                    INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time,
                        address_service_id, duration) VALUES ('1', '123', '111', \(weekday), '\(start)', '\(end)', '101', 30);
                    """
            }
        }
        try clinic.execute(sql + "COMMIT;")
    }

    /// Bookable starts (HH:MM) on Docplanner, `days` after today.
    func starts(day days: Int) throws -> [String] {
        let from = Self.today.addingTimeInterval(Double(days) * 86_400)
        return try client.getSlots(
            facilityID: "1", doctorID: "123", addressID: "111", start: from, end: from.addingTimeInterval(86_399)
        ).compactMap { $0.start?.text.dropFirst(11).prefix(5).description }
    }

    static func halfHours(_ from: Int, _ to: Int) -> [String] {
        (from * 2..<to * 2).map { String(format: "%02d:%02d", $0 / 2, $0 % 2 * 30) }
    }

    @Test func aLunchGapCutIntoPublishedHoursIsNotBookable() throws {
        defer { simulator.stop() }
        try setHours([("09:00", "17:00")])
        try feed()
        #expect(try starts(day: 3) == Self.halfHours(9, 17))

        try setHours([("09:00", "12:00"), ("13:00", "17:00")])
        let sent = try feed()
        #expect(sent.resumeAt == nil)
        for day in [0, 3, 40, 83] {  // day 1 has seeded bookings
            #expect(try starts(day: day) == Self.halfHours(9, 12) + Self.halfHours(13, 17), "day \(day)")
        }
    }

    @Test func everyDayOfTheHorizonIsFedOnceAndSlotsFromBeforeAreGone() throws {
        defer { simulator.stop() }
        // The simulator's seeded 09:00–13:00 slots of the coming week are not the clinic's.
        #expect(try !starts(day: 2).isEmpty)
        try setHours([("14:00", "16:00")])
        let sent = try feed()
        #expect(sent.calls == Array(repeating: "replaceSlots", count: 84))
        #expect(try starts(day: 2) == Self.halfHours(14, 16))
        // Nothing changed: nothing to send.
        #expect(try feed().calls.isEmpty)

        // A day closed by the clinic has no slots left.
        let closed = DocplannerDateTime.formatDay(Self.today.addingTimeInterval(5 * 86_400), timeZone: Self.zone)
        let clinic = try Database(path: directory.file("partner.sqlite"))
        try clinic.execute(
            "INSERT INTO day_slots (facility_id, doctor_id, address_id, day) VALUES ('1', '123', '111', '\(closed)')")
        #expect(try feed().calls == ["replaceSlots"])
        #expect(try starts(day: 5).isEmpty)
        #expect(try starts(day: 6) == Self.halfHours(14, 16))
    }

    @Test func closedDaysWithoutSlotsOnDocplannerCostNoWrite() throws {
        defer { simulator.stop() }
        // Weekdays only; the seeded slots (09:00–13:00, the coming week) cover a weekend.
        try setHours([("14:00", "16:00")], weekdays: 1...5)
        let sent = try feed()
        let writes = sent.calls.filter { $0 == "replaceSlots" }.count
        // 60 weekdays, plus the seeded weekend days, which must be cleared.
        #expect(sent.calls.first == "getSlots")
        #expect(writes == 60 + 2, "\(sent.calls.count) calls")
        #expect(try partner.slotSignatures(calendar).count == 84)
        // 2027-01-16 and -17 are the seeded weekend.
        #expect(try starts(day: 1).isEmpty)
        #expect(try starts(day: 2).isEmpty)
        #expect(try starts(day: 3) == Self.halfHours(14, 16))
    }

    @Test func aLongFeedGoesNearestDaysFirstInBatches() throws {
        defer { simulator.stop() }
        try setHours([("10:00", "11:00")])
        let first = try feed(daysPerRun: 10)
        #expect(first.calls.count == 10)
        #expect(first.resumeAt == Date(timeIntervalSince1970: clock.now()))
        let fed = try partner.slotSignatures(calendar).keys.sorted()
        #expect(fed == SlotPlan.horizonDays(from: Self.today, weeks: 12, timeZone: Self.zone).prefix(10).map { $0 })
        var runs = 1
        var more = true
        while more && runs < 20 {
            more = try feed(daysPerRun: 10).resumeAt != nil
            runs += 1
        }
        #expect(runs == 9, "84 days, 10 a run")
        #expect(try partner.slotSignatures(calendar).count == 84)
    }

    @Test func hoursChangedBackWithinThreeMinutesEndAsTheClinicHasThem() throws {
        defer { simulator.stop() }
        try setHours([("09:00", "17:00")])
        try feed()
        clock.advance(by: 20)
        try setHours([("10:00", "17:00")])
        try feed()
        #expect(try starts(day: 4).first == "10:00")
        // Back to the first hours 40 s after they were sent: the same body again would be
        // ignored by Docplanner, so another spelling of the same day goes.
        clock.advance(by: 20)
        try setHours([("09:00", "17:00")])
        #expect(try feed().resumeAt == nil)
        for day in [0, 4, 83] { #expect(try starts(day: day) == Self.halfHours(9, 17), "day \(day)") }
    }

    @Test func aDayWithEverySpellingSentLatelyWaitsForDocplanner() throws {
        defer { simulator.stop() }
        // Open all day: no closed range to spell a body differently.
        try setHours([("00:00", "24:00")])
        try feed()
        clock.advance(by: 10)
        try setHours([("08:00", "24:00")])
        try feed()
        clock.advance(by: 10)
        try setHours([("00:00", "24:00")])
        let waiting = try feed()
        // Days that had a closed range spelled otherwise; the rest wait for the window.
        #expect(waiting.resumeAt == Date(timeIntervalSince1970: clock.now() - 20 + OutboundProcessor.duplicateWindow))
        clock.advance(by: OutboundProcessor.duplicateWindow)
        #expect(try !feed().calls.isEmpty)
        #expect(try starts(day: 4).first == "00:00")
        #expect(try feed().calls.isEmpty)
    }
}

/// How one day is described for `replaceSlots`.
@Suite struct SlotDayTests {
    static let warsaw = TimeZone(identifier: "Europe/Warsaw")!

    func at(_ text: String) -> Date { DocplannerDateTime.parse(text)! }

    func window(_ start: String, _ end: String) -> AvailabilityWindow {
        AvailabilityWindow(start: at(start), end: at(end), services: [.init(addressServiceID: "101", duration: 30)])
    }

    func texts(_ day: SlotDay) -> [String] {
        day.request(timeZone: Self.warsaw).slots.map {
            "\($0.start.text) \($0.end.text) \($0.addressServices?.count ?? -1)"
        }
    }

    @Test func aDayIsDescribedWholeWithItsClosedStretches() throws {
        let day = try #require(
            SlotDay.describe(
                day: "2027-03-02",
                windows: [
                    window("2027-03-02T13:00:00+01:00", "2027-03-02T17:00:00+01:00"),
                    window("2027-03-02T09:00:00+01:00", "2027-03-02T12:00:00+01:00"),
                ],
                timeZone: Self.warsaw))
        #expect(
            texts(day) == [
                "2027-03-02T00:00:00+01:00 2027-03-02T09:00:00+01:00 0",
                "2027-03-02T09:00:00+01:00 2027-03-02T12:00:00+01:00 1",
                "2027-03-02T12:00:00+01:00 2027-03-02T13:00:00+01:00 0",
                "2027-03-02T13:00:00+01:00 2027-03-02T17:00:00+01:00 1",
                "2027-03-02T17:00:00+01:00 2027-03-02T23:59:00+01:00 0",
            ])
        // Closed ranges are sent with an empty list, never left out.
        let body = try JSONEncoder().encode(day.request(timeZone: Self.warsaw))
        #expect(String(decoding: body, as: UTF8.self).contains("\"address_services\":[]"))
        #expect(day.isOpen)
    }

    @Test func aClosedDayIsOneEmptyRangeAndMidnightWindowsEndAt2359() throws {
        let closed = try #require(SlotDay.describe(day: "2027-03-02", windows: [], timeZone: Self.warsaw))
        #expect(texts(closed) == ["2027-03-02T00:00:00+01:00 2027-03-02T23:59:00+01:00 0"])
        #expect(!closed.isOpen)
        let late = try #require(
            SlotDay.describe(
                day: "2027-03-02", windows: [window("2027-03-02T20:00:00+01:00", "2027-03-03T00:00:00+01:00")],
                timeZone: Self.warsaw))
        #expect(
            texts(late) == [
                "2027-03-02T00:00:00+01:00 2027-03-02T20:00:00+01:00 0",
                "2027-03-02T20:00:00+01:00 2027-03-02T23:59:00+01:00 1",
            ])
    }

    @Test func rangesKeepOneOffsetOnDaysTheClockChanges() throws {
        // 2027-10-31: Warsaw goes from +02:00 to +01:00 at 03:00.
        let autumn = try #require(SlotDay.describe(day: "2027-10-31", windows: [], timeZone: Self.warsaw))
        #expect(
            texts(autumn) == [
                "2027-10-31T00:00:00+02:00 2027-10-31T02:00:00+01:00 0",
                "2027-10-31T02:00:00+01:00 2027-10-31T23:59:00+01:00 0",
            ])
        let spring = try #require(SlotDay.describe(day: "2027-03-28", windows: [], timeZone: Self.warsaw))
        #expect(
            texts(spring) == [
                "2027-03-28T00:00:00+01:00 2027-03-28T03:00:00+02:00 0",
                "2027-03-28T03:00:00+02:00 2027-03-28T23:59:00+02:00 0",
            ])
    }

    @Test func variantsSpellTheSameDayOtherwise() throws {
        let day = try #require(
            SlotDay.describe(
                day: "2027-03-02", windows: [window("2027-03-02T09:00:00+01:00", "2027-03-02T12:00:00+01:00")],
                timeZone: Self.warsaw))
        let first = try #require(day.variant(1))
        let second = try #require(day.variant(2))
        #expect(day.variant(3) == nil)
        #expect(Set([day.signature, first.signature, second.signature]).count == 3)
        #expect(
            texts(first).prefix(2) == [
                "2027-03-02T00:00:00+01:00 2027-03-02T00:01:00+01:00 0",
                "2027-03-02T00:01:00+01:00 2027-03-02T09:00:00+01:00 0",
            ])
        let sent = [SlotSend(day: day.day, signature: day.signature, sentAt: Date())]
        #expect(OutboundProcessor.spelling(of: day, avoiding: sent) == first)
        #expect(OutboundProcessor.spelling(of: day, avoiding: []) == day)
    }

    @Test func planFeedsUnknownAndChangedDaysNearestFirst() throws {
        let days = ["2027-03-03", "2027-03-02", "2027-03-04"]
        let availability = ["2027-03-02": [window("2027-03-02T09:00:00+01:00", "2027-03-02T12:00:00+01:00")]]
        let known = try #require(SlotDay.describe(day: "2027-03-04", windows: [], timeZone: Self.warsaw))
        let plan = SlotPlan.make(
            days: days, availability: availability, fed: ["2027-03-04": known.signature], timeZone: Self.warsaw,
            limit: at("2027-03-10T00:00:00+01:00"))
        #expect(plan.days.map(\.day) == ["2027-03-02", "2027-03-03"])
        // A day not wholly within 12 weeks waits.
        let near = SlotPlan.make(
            days: days, availability: availability, fed: [:], timeZone: Self.warsaw,
            limit: at("2027-03-03T12:00:00+01:00"))
        #expect(near.days.map(\.day) == ["2027-03-02"])
    }

    @Test func logLinesCountRunsOfCalls() {
        #expect(
            OutboundProcessor.summary(of: ["getSlots", "replaceSlots", "replaceSlots", "deleteSlots"])
                == "getSlots,replaceSlots×2,deleteSlots")
        #expect(OutboundProcessor.summary(of: []) == "")
    }
}
