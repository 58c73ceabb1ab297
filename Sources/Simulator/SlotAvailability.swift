import Foundation

/// What of the calendar's units can be booked: a unit is free when no booking and no break
/// at the address overlaps its visit. `getSlots` groups the free units by start ("List of free
/// slots for the address", integrations-api.yml `getSlots`; `slot.services` lists the address
/// services bookable at that start).
extension SimulatorState {
    /// A start with the units bookable there.
    struct AvailableSlot: Equatable {
        var start: Date
        var units: [SlotUnit]
    }

    /// Free units at `address` starting in `from ..< to`, grouped by start in time order;
    /// each group keeps its units in the order they were sent.
    func availableSlots(address: String, from: Date, to: Date) -> [AvailableSlot] {
        var groups: [Date: [SlotUnit]] = [:]
        for unit in slots[address] ?? [] where unit.start >= from && unit.start < to {
            if isFree(address: address, from: unit.start, to: unit.end) { groups[unit.start, default: []].append(unit) }
        }
        return groups.map { AvailableSlot(start: $0.key, units: $0.value) }.sorted { $0.start < $1.start }
    }

    /// Whether no booking and no break at `address` overlaps `from ..< to`.
    func isFree(address: String, from: Date, to: Date, ignoring bookingID: String? = nil) -> Bool {
        let booked = bookings.contains {
            $0.addressID == address && $0.isBooked && $0.id != bookingID && $0.start < to && $0.end > from
        }
        let onBreak = breaks.contains { $0.addressID == address && $0.since < to && $0.till > from }
        return !booked && !onBreak
    }

    /// Why a booking of `service` for `duration` minutes at `start` is impossible, in the
    /// document's 404 messages (`UnableToPerformBookingWithSlot`,
    /// `UnableToPerformBookingWithService`), or nil when it can be booked: a free unit must
    /// start then offering that service, and the visit booked must not overlap a booking or
    /// a break.
    func slotProblem(address: String, start: Date, service: String, duration: Int, startText: String) -> String? {
        let free = availableSlots(address: address, from: start, to: start.addingTimeInterval(1)).first?.units ?? []
        guard !free.isEmpty else { return "Unable to perform booking. Requested target slot (\(startText)) not found" }
        guard free.contains(where: { $0.addressServiceID == service }) else {
            return "Unable to perform booking. Slot (\(startText)) does not support service \(service)"
        }
        guard isFree(address: address, from: start, to: start.addingTimeInterval(Double(duration) * 60)) else {
            return "Unable to perform booking. Requested target slot (\(startText)) not found"
        }
        return nil
    }

    /// Drops the units of a deleted address service.
    mutating func removeUnits(of service: String, at address: String) {
        slots[address]?.removeAll { $0.addressServiceID == service }
    }
}
