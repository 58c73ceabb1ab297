import Foundation
import Testing

@testable import Daemon

/// The status page's ping history: bounded whatever arrives, kept across restarts in a
/// compact text, and drawn with Docplanner's alert rule (a silence of the alert limit,
/// 15 min: three missed 5-minute pings) as the gap.
@Suite struct PingHistoryTests {
    let base = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { base.addingTimeInterval(seconds) }

    @Test func docplannersRhythmIsKeptAndAFloodAddsOneMarkAMinute() {
        let history = PingHistory()
        for minute in stride(from: 0, to: 60, by: 5) { #expect(history.record(at(Double(minute * 60)))) }
        #expect(history.count == 12)
        // 10,000 pings within a second (a test or an attacker with the callback secret).
        var recorded = 0
        for index in 0..<10_000 where history.record(at(3600 + Double(index) / 10_000)) { recorded += 1 }
        #expect(recorded == 1)
        #expect(!history.record(at(3659)), "59 s after the last recorded one")
        #expect(history.record(at(3660)))
        #expect(history.count == 14)
    }

    @Test func aDayOfFloodIsBoundedAndTheWindowKeepsOneAnchor() {
        let history = PingHistory()
        // Two days of a ping every 10 s: at most one a minute, and only the last day stays.
        for tick in 0..<(2 * 8640) { history.record(at(Double(tick * 10))) }
        #expect(history.count <= PingHistory.capacity)
        let pings = history.pings
        let newest = at(172_740)  // the last whole minute of the two days
        #expect(pings.last == newest)
        let windowStart = newest.addingTimeInterval(-Double(PingHistory.window))
        #expect(pings.filter { $0 < windowStart } == [windowStart.addingTimeInterval(-60)], "the anchor")
        #expect(pings.filter { $0 >= windowStart }.count == 1441)
    }

    @Test func theEncodedHistoryRoundTripsAndIsSmall() {
        let history = PingHistory()
        for minute in stride(from: 0, to: 24 * 60, by: 5) { history.record(at(Double(minute * 60) + 0.7)) }
        let text = history.encoded
        #expect(text.hasPrefix("v1:1800000000,300,300"))
        #expect(text.utf8.count < 288 * 5, "\(text.utf8.count) bytes for a day of pings")
        let again = PingHistory(encoded: text, lastPing: nil)
        #expect(again.pings == history.pings)
        #expect(PingHistory.decode("v1:") == [])
        #expect(PingHistory.decode("garbage") == nil)
        #expect(PingHistory.decode("v1:100,-5") == nil, "times never go back")
        #expect(PingHistory(encoded: "v1:12,x", lastPing: at(0)).pings == [at(0)], "unreadable: the last ping alone")
    }

    @Test func aStoreWithoutHistoryIsSeededFromItsLastPing() {
        let seeded = PingHistory(encoded: nil, lastPing: at(120.4))
        #expect(seeded.pings == [at(120)])
        let both = PingHistory(encoded: "v1:1800000000,60", lastPing: at(60.5))
        #expect(both.pings == [at(0), at(60)], "the last ping is already in the history")
        let health = DaemonHealth(pingSilenceLimit: 900, lastPingBeforeStart: at(0))
        #expect(health.pingHistory.pings == [at(0)])
    }

    @Test func gapsFollowTheAlertLimit() {
        let now = at(86_430)
        // Every 5 minutes, but with 10 minutes (one missed) at 14,700 s, 14 minutes at 30,000 s
        // (no alert yet) and 40 minutes at 50,400 s (an alert).
        func missing(_ time: Double) -> Bool {
            let silences: [ClosedRange<Double>] = [14_700...14_700, 30_300...30_900, 50_700...52_500]
            return silences.contains { $0.contains(time) }
        }
        var times: [Double] = Array(stride(from: 0.0, through: 86_100.0, by: 300.0)).filter { !missing($0) }
        times.append(30_840)
        let pings = times.sorted().map(at)
        let strip = PingStrip(pings: pings, startedAt: at(-86_400 * 3), now: now, gapLimit: 900)
        #expect(strip.marks.count == pings.count - 1, "the first ping is older than the window")
        #expect(strip.gaps.count == 1)
        #expect(strip.gaps.first?.began == at(50_400) && strip.gaps.first?.seconds == 2400)
        #expect(strip.gaps.first?.open == false)
        #expect(strip.recordStart == nil, "a ping before the window: the whole window is on record")

        let silentNow = PingStrip(pings: pings, startedAt: at(0), now: now.addingTimeInterval(1200), gapLimit: 900)
        #expect(silentNow.gaps.count == 2 && silentNow.gaps.last?.open == true)
        #expect(PingStrip(pings: pings, startedAt: at(0), now: now, gapLimit: nil).gaps.isEmpty, "PULL mode")
    }

    @Test func aSilenceBeforeTheWindowShowsFromItsStartAndOneSinceStartCountsFromStart() {
        let now = at(86_400 * 3)
        let anchored = PingStrip(
            pings: [at(0), now.addingTimeInterval(-600)], startedAt: at(-10), now: now, gapLimit: 900)
        #expect(anchored.gaps.count == 1)
        #expect(anchored.gaps[0].from == anchored.windowStart && anchored.gaps[0].began == at(0))
        #expect(anchored.marks == [now.addingTimeInterval(-600)])

        let fresh = PingStrip(pings: [], startedAt: now.addingTimeInterval(-3600), now: now, gapLimit: 900)
        #expect(fresh.recordStart == now.addingTimeInterval(-3600), "grey before the start")
        #expect(fresh.gaps.map(\.from) == [now.addingTimeInterval(-3600)] && fresh.gaps[0].open)

        let svg = anchored.svg(time: { "\(Int($0.timeIntervalSince1970))" })
        #expect(svg.components(separatedBy: "class=\"ping\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"gap\"").count - 1 == 1)
        #expect(svg.contains("data-pings=\"1\"") && svg.contains("data-gaps=\"1\""))
        #expect(svg.contains("no ping for \(Int((86_400 * 3 - 600) / 60)) min, 1800000000–"))
    }
}
