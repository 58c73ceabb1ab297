import DocplannerAPI
import Foundation
import Partner

/// Decides which days' slots to send for one calendar: the days of the horizon whose
/// availability differs from what was last fed (by signature). Days with availability go
/// in one `replaceSlots` request; days that had slots and now have none are deleted one by
/// one (Docplanner has no other way). A day never fed and still empty needs nothing.
public struct SlotPlan: Sendable, Equatable {
    /// Days to replace, with their slots, in day order.
    public var replace: [(day: String, windows: [AvailabilityWindow])]
    /// Days to clear with `deleteSlots`.
    public var delete: [String]
    /// The signatures to record once the calls succeed ("" removes a day's record).
    public var signatures: [String: String]

    public var isEmpty: Bool { replace.isEmpty && delete.isEmpty }

    public static func == (a: SlotPlan, b: SlotPlan) -> Bool {
        a.replace.map(\.day) == b.replace.map(\.day) && a.replace.map(\.windows) == b.replace.map(\.windows)
            && a.delete == b.delete && a.signatures == b.signatures
    }

    /// Plans `days` given their `availability` and the `fed` signatures. Windows ending
    /// after `limit` (Docplanner takes slots up to 12 weeks ahead) count as absent until a
    /// later run, when the horizon has moved.
    public static func make(
        days: [String], availability: [String: [AvailabilityWindow]], fed: [String: String], limit: Date
    ) -> SlotPlan {
        var plan = SlotPlan(replace: [], delete: [], signatures: [:])
        for day in days.sorted() {
            let windows = (availability[day] ?? []).filter { $0.end <= limit }
            let signature = Self.signature(windows)
            guard signature != (fed[day] ?? "") else { continue }
            if windows.isEmpty {
                plan.delete.append(day)
            } else {
                plan.replace.append((day, windows))
            }
            plan.signatures[day] = signature
        }
        return plan
    }

    /// A stable text for a day's windows ("" for none).
    static func signature(_ windows: [AvailabilityWindow]) -> String {
        windows.map { window in
            let services = window.services.map { "\($0.addressServiceID)x\($0.duration)" }.joined(separator: ",")
            return "\(Int(window.start.timeIntervalSince1970))-\(Int(window.end.timeIntervalSince1970)):\(services)"
        }.joined(separator: ";")
    }

    /// The days (`YYYY-MM-DD` in `timeZone`) from today through the horizon.
    public static func horizonDays(from now: Date, weeks: Int, timeZone: TimeZone) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        return (0..<(weeks * 7)).compactMap { offset in
            calendar.date(byAdding: .day, value: offset, to: today).map { DocplannerDateTime.formatDay($0, timeZone: timeZone) }
        }
    }

    /// The `replaceSlots` body for the days to replace.
    public func request(timeZone: TimeZone) -> ReplaceSlotsRequest {
        ReplaceSlotsRequest(
            slots: replace.flatMap(\.windows).map { window in
                ReplaceSlotsRequest.Slot(
                    start: DocplannerDateTime(window.start, timeZone: timeZone),
                    end: DocplannerDateTime(window.end, timeZone: timeZone),
                    addressServices: window.services.map {
                        .init(addressServiceID: $0.addressServiceID, duration: $0.duration)
                    })
            })
    }
}
