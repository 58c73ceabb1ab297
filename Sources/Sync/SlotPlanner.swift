import DocplannerAPI
import Foundation
import Partner

/// One day of a calendar as one `replaceSlots` request describes it: the whole day, from
/// midnight to 23:59, as ranges in time order. Each open window carries its address
/// services; every stretch in between is a closed range with empty `address_services`,
/// which removes whatever slots Docplanner had there. Docplanner replaces slots only
/// inside the ranges sent ("Overrides all existing slots for given date ranges"), so a day
/// described whole ends exactly as the clinic has it, whatever was there before.
///
/// Docplanner takes one day per request ("Slots comes from different days") and slots
/// within one day: the day ends at 23:59, and a window the clinic keeps open until 24:00
/// is sent ending at 23:59 (a visit must end by then to be offered).
package struct SlotDay: Sendable, Equatable {
    /// A range of the day: open with its services, closed when `services` is empty.
    package struct Range: Sendable, Equatable {
        package var start: Date
        package var end: Date
        package var services: [AvailabilityWindow.Service]

        package var isOpen: Bool { !services.isEmpty }
    }

    /// `YYYY-MM-DD` in the clinic's time zone.
    package var day: String
    package var ranges: [Range]

    /// What the day holds, as a stable text: equal signatures describe equal days.
    package var signature: String {
        "v2;"
            + ranges.map { range in
                let services = range.services.map { "\($0.addressServiceID)x\($0.duration)" }.joined(separator: ",")
                return "\(Int(range.start.timeIntervalSince1970))-\(Int(range.end.timeIntervalSince1970)):\(services)"
            }.joined(separator: ";")
    }

    /// Whether the clinic offers anything on the day.
    package var isOpen: Bool { ranges.contains(where: \.isOpen) }

    /// The day with its closed range number `variant` split in two after its first
    /// minute: the same slots on Docplanner, in a body that differs from the plain one.
    /// Docplanner ignores a body equal to one it took in the last 3 minutes, so going back
    /// to a day's earlier hours within that time needs another spelling. Nil when the day
    /// has no closed range of at least 2 minutes to split at that position.
    package func variant(_ variant: Int) -> SlotDay? {
        guard variant > 0 else { return self }
        let splittable = ranges.indices.filter {
            !ranges[$0].isOpen && ranges[$0].end.timeIntervalSince(ranges[$0].start) >= 120
        }
        guard variant <= splittable.count else { return nil }
        let index = splittable[variant - 1]
        var copy = self
        let range = ranges[index]
        let cut = range.start.addingTimeInterval(60)
        copy.ranges.replaceSubrange(
            index...index,
            with: [Range(start: range.start, end: cut, services: []), Range(start: cut, end: range.end, services: [])])
        return copy
    }

    /// The `replaceSlots` body for this day.
    package func request(timeZone: TimeZone) -> ReplaceSlotsRequest {
        ReplaceSlotsRequest(
            slots: ranges.map { range in
                ReplaceSlotsRequest.Slot(
                    start: DocplannerDateTime(range.start, timeZone: timeZone),
                    end: DocplannerDateTime(range.end, timeZone: timeZone),
                    addressServices: range.services.map {
                        .init(addressServiceID: $0.addressServiceID, duration: $0.duration)
                    })
            })
    }

    /// Describes `day` whole from the clinic's `windows` on it; nil when `day` is not a
    /// date. Windows are kept as the clinic has them (overlapping ones too); the closed
    /// ranges fill what no window covers, split where the clock changes (daylight saving)
    /// so that each range keeps one UTC offset.
    package static func describe(day: String, windows: [AvailabilityWindow], timeZone: TimeZone) -> SlotDay? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
            let midnight = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            let next = calendar.date(byAdding: .day, value: 1, to: midnight)
        else { return nil }
        let dayEnd = next.addingTimeInterval(-60)
        var open: [Range] = []
        for window in windows.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            let start = max(window.start, midnight)
            let end = min(window.end, dayEnd)
            guard end.timeIntervalSince(start) >= 60, !window.services.isEmpty else { continue }
            open.append(Range(start: start, end: end, services: window.services))
        }
        var closed: [Range] = []
        var cursor = midnight
        for range in open {
            if range.start > cursor { closed += closedRanges(from: cursor, to: range.start, timeZone: timeZone) }
            cursor = max(cursor, range.end)
        }
        if dayEnd > cursor { closed += closedRanges(from: cursor, to: dayEnd, timeZone: timeZone) }
        let ranges = (open + closed).sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        return SlotDay(day: day, ranges: ranges)
    }

    /// `from..<to` as closed ranges of at least a minute, cut at each change of offset.
    private static func closedRanges(from: Date, to: Date, timeZone: TimeZone) -> [Range] {
        var ranges: [Range] = []
        var start = from
        while start < to {
            var end = to
            if let change = timeZone.nextDaylightSavingTimeTransition(after: start), change < to { end = change }
            if end.timeIntervalSince(start) >= 60 { ranges.append(Range(start: start, end: end, services: [])) }
            start = end
        }
        return ranges
    }
}

/// Decides which days' slots to send for one calendar: every day of the horizon whose
/// description differs from what was last fed, nearest first. A day never fed counts as
/// unknown and is fed even when closed, so that slots Docplanner had before (from its own
/// calendar or an earlier integration) do not stay bookable.
///
/// Feeding a calendar's whole horizon costs one write call per day: 84 for 12 weeks, that
/// is 2.1 minutes of Docplanner's 40 writes a minute. Later feeds send only changed days.
package struct SlotPlan: Sendable, Equatable {
    /// Days to send, nearest first.
    package var days: [SlotDay]

    package var isEmpty: Bool { days.isEmpty }

    /// Plans `days` given their `availability` and the `fed` signatures. A day that ends
    /// after `limit` (Docplanner takes slots up to 12 weeks ahead) waits for a later run,
    /// when the horizon has moved.
    package static func make(
        days: [String], availability: [String: [AvailabilityWindow]], fed: [String: String], timeZone: TimeZone,
        limit: Date
    ) -> SlotPlan {
        var plan = SlotPlan(days: [])
        for day in days.sorted() {
            guard let described = SlotDay.describe(day: day, windows: availability[day] ?? [], timeZone: timeZone),
                let end = described.ranges.map(\.end).max(), end <= limit
            else { continue }
            guard described.signature != fed[day] else { continue }
            plan.days.append(described)
        }
        return plan
    }

    /// The days (`YYYY-MM-DD` in `timeZone`) from today through the horizon.
    package static func horizonDays(from now: Date, weeks: Int, timeZone: TimeZone) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        return (0..<(weeks * 7)).compactMap { offset in
            calendar.date(byAdding: .day, value: offset, to: today).map {
                DocplannerDateTime.formatDay($0, timeZone: timeZone)
            }
        }
    }
}
