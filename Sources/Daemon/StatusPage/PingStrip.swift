import Foundation

/// The status page's strip of Docplanner's pings over the last 24 hours: a mark per ping
/// recorded, and red where Docplanner has raised its alert. A gap is a silence of at least
/// `callback.ping_alert_minutes` (15 by default: Docplanner pings every 5 minutes and
/// alerts after three missed pings), the same rule as `pingWarning`; the silence after a
/// start with no ping before it counts from the start. Before the first thing known (a
/// ping, or the start) the strip is grey: no record. In PULL mode no pings are expected
/// and no gap is drawn.
struct PingStrip: Sendable, Equatable {
    /// A silence long enough for Docplanner's alert, clipped to the window.
    struct Gap: Sendable, Equatable {
        /// When the silence began (perhaps before the window).
        var began: Date
        /// Where it shows: from `began` or the window's start.
        var from: Date
        var to: Date
        /// Still going on now.
        var open: Bool

        var seconds: Double { to.timeIntervalSince(began) }
    }

    var windowStart: Date
    var now: Date
    /// The pings inside the window, oldest first.
    var marks: [Date]
    var gaps: [Gap]
    /// Where the record begins inside the window (grey before it); nil when it covers the window.
    var recordStart: Date?
    /// nil in PULL mode.
    var gapLimit: Double?

    /// The strip for `pings` (oldest first, as `PingHistory.pings`) seen at `now`, for a
    /// daemon started at `startedAt`.
    init(pings: [Date], startedAt: Date, now: Date, gapLimit: Double?, window: Double = Double(PingHistory.window)) {
        let windowStart = now.addingTimeInterval(-window)
        self.windowStart = windowStart
        self.now = now
        self.gapLimit = gapLimit
        let past = pings.filter { $0 <= now }
        marks = past.filter { $0 >= windowStart }
        // What is known, in order: the start when no ping came before it, the pings, now.
        var points = past
        if past.first.map({ $0 > startedAt }) ?? true { points.insert(startedAt, at: 0) }
        let first = points.first ?? now
        recordStart = first > windowStart ? min(first, now) : nil
        gaps = []
        guard let gapLimit else { return }
        points.append(now)
        for index in points.indices.dropFirst() {
            let (from, to) = (points[index - 1], points[index])
            guard to.timeIntervalSince(from) >= gapLimit, to > windowStart else { continue }
            gaps.append(Gap(began: from, from: max(from, windowStart), to: to, open: index == points.count - 1))
        }
    }

    // MARK: - SVG

    /// The strip's width in SVG units: one a minute.
    static let width = 1440.0
    static let barTop = 4.0
    static let barHeight = 30.0

    /// The inline SVG: `rect.ping` per mark, `rect.gap` per gap (with a `title`),
    /// `rect.unknown` before the record begins, and a label every 3 hours.
    func svg(time: (Date) -> String) -> String {
        let span = now.timeIntervalSince(windowStart)
        func x(_ date: Date) -> Double {
            (date.timeIntervalSince(windowStart) / span * Self.width).clamped(0, Self.width)
        }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        let (top, height) = (Self.barTop, Self.barHeight)
        var svg = """
            <svg class="ping-strip" viewBox="0 0 \(Int(Self.width)) 52" role="img" \
            aria-label="\(marks.count) pings and \(gaps.count) gaps in the last 24 hours" \
            data-pings="\(marks.count)" data-gaps="\(gaps.count)" xmlns="http://www.w3.org/2000/svg">
            <rect class="bar" x="0" y="\(number(top))" width="\(Int(Self.width))" height="\(number(height))"/>

            """
        if let recordStart {
            svg += """
                <rect class="unknown" x="0" y="\(number(top))" width="\(number(x(recordStart)))" height="\(number(height))">\
                <title>no record before \(HTMLText.escape(time(recordStart)))</title></rect>

                """
        }
        for gap in gaps {
            let minutes = Int(gap.seconds / 60)
            let title = "no ping for \(minutes) min, \(time(gap.began))–\(gap.open ? "now" : time(gap.to))"
            svg += """
                <rect class="gap" x="\(number(x(gap.from)))" y="\(number(top))" \
                width="\(number(max(x(gap.to) - x(gap.from), 1)))" height="\(number(height))">\
                <title>\(HTMLText.escape(title))</title></rect>

                """
        }
        for mark in marks {
            svg +=
                "<rect class=\"ping\" x=\"\(number(min(x(mark), Self.width - 1)))\" y=\"\(number(top))\" width=\"1\" height=\"\(number(height))\"/>\n"
        }
        for hour in stride(from: 0, through: 24, by: 3) {
            let position = Double(hour) / 24 * Self.width
            let anchor = hour == 0 ? "start" : hour == 24 ? "end" : "middle"
            let label = hour == 24 ? "now" : "−\(24 - hour) h"
            svg += """
                <line class="tick" x1="\(number(position))" y1="\(number(top + height))" x2="\(number(position))" y2="\(number(top + height + 4))"/>\
                <text x="\(number(position))" y="50" text-anchor="\(anchor)">\(label)</text>

                """
        }
        return svg + "</svg>"
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
