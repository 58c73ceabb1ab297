import Foundation

/// Bookable slots derived from the availability windows of `replaceSlots`: each window
/// offers starts every `step` minutes (its shortest service), a service at a start when
/// it ends inside the window, and only where no booking or break takes the time.
extension SimulatorState {
    struct AvailableSlot: Equatable {
        var start: Date
        var services: [SlotWindow.ServiceOffer]
    }

    /// Bookable slots at `address` starting in `from ..< to`, in time order.
    func availableSlots(address: String, from: Date, to: Date) -> [AvailableSlot] {
        var result: [AvailableSlot] = []
        for window in slots[address] ?? [] where window.end > from && window.start < to {
            guard let step = window.services.map(\.duration).min(), step > 0 else { continue }
            var start = window.start
            while start < window.end {
                if start >= from && start < to {
                    let fitting = window.services.filter { offer in
                        let end = start.addingTimeInterval(Double(offer.duration) * 60)
                        return end <= window.end && isFree(address: address, from: start, to: end)
                    }
                    if !fitting.isEmpty { result.append(AvailableSlot(start: start, services: fitting)) }
                }
                start = start.addingTimeInterval(Double(step) * 60)
            }
        }
        return result.sorted { $0.start < $1.start }
    }

    /// Whether no booking and no break at `address` overlaps `from ..< to`.
    func isFree(address: String, from: Date, to: Date, ignoring bookingID: String? = nil) -> Bool {
        let booked = bookings.contains {
            $0.addressID == address && $0.isBooked && $0.id != bookingID && $0.start < to && $0.end > from
        }
        let onBreak = breaks.contains { $0.addressID == address && $0.since < to && $0.till > from }
        return !booked && !onBreak
    }

    /// Why a booking of `service` for `duration` minutes at `start` is impossible (the
    /// document's 404 messages), or nil when the slot can be booked.
    func slotProblem(address: String, start: Date, service: String, duration: Int, startText: String) -> String? {
        let end = start.addingTimeInterval(Double(duration) * 60)
        let windows = (slots[address] ?? []).filter { window in
            guard start >= window.start, start < window.end,
                let step = window.services.map(\.duration).min(), step > 0
            else { return false }
            let offset = Int(start.timeIntervalSince(window.start).rounded())
            return offset % (step * 60) == 0
        }
        guard !windows.isEmpty, isFree(address: address, from: start, to: end) else {
            return "Unable to perform booking. Requested target slot (\(startText)) not found"
        }
        guard windows.contains(where: { window in
            window.services.contains { $0.addressServiceID == service } && end <= window.end
        }) else {
            return "Unable to perform booking. Slot (\(startText)) does not support service \(service)"
        }
        return nil
    }

    /// Drops the offers of a deleted address service (and windows left with none).
    mutating func removeOffers(of service: String, at address: String) {
        guard var windows = slots[address] else { return }
        for index in windows.indices {
            windows[index].services.removeAll { $0.addressServiceID == service }
        }
        slots[address] = windows.filter { !$0.services.isEmpty }
    }
}
