import Foundation

/// The partner system behind an HTTP endpoint (`partner.adapter: http`).
///
/// Every Docplanner event is POSTed to the partner (`PartnerForwarder`) and, once the
/// partner took it, applied to a local mirror of the clinic calendar (an
/// `EmbeddedPartner` file). The mirror answers every read — `isFree` for the blocking
/// callbacks, `booking`, and the whole `ClinicCalendar` side — and receives the
/// partner's own changes through the admin listener's `/v1` API, whose writes the
/// mirror's triggers capture for outbound sync exactly as a clinic's would be.
///
/// Order: an event already in the mirror is not sent again; otherwise it is forwarded
/// first and recorded second, so a failed forward leaves nothing recorded and the
/// inbound job is retried. A crash between the two sends the event again with the same
/// `webhook-id`, which the partner dedupes (or answers 409).
package final class HTTPPartner: PartnerSystem, ClinicCalendar {
    package let mirror: EmbeddedPartner
    package let forwarder: PartnerForwarder

    package init(mirror: EmbeddedPartner, forwarder: PartnerForwarder) {
        self.mirror = mirror
        self.forwarder = forwarder
    }

    package func apply(_ changes: [PartnerChange], eventKey: String, eventTime: Date) throws(PartnerError) -> Bool {
        if try mirror.hasApplied(eventKey: eventKey) { return false }
        try forwarder.forward(PartnerEvent(eventKey: eventKey, eventTime: eventTime, changes: changes))
        return try mirror.apply(changes, eventKey: eventKey, eventTime: eventTime)
    }

    /// Each event not yet in the mirror is forwarded first, one signed POST each as
    /// `apply` does; the mirror then records the forwarded ones in one transaction.
    package func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
        var results = [Result<Bool, PartnerError>?](repeating: nil, count: events.count)
        var forwarded: [(index: Int, event: PartnerEvent)] = []
        for (index, event) in events.enumerated() {
            do {
                if try mirror.hasApplied(eventKey: event.eventKey) {
                    results[index] = .success(false)
                    continue
                }
                try forwarder.forward(event)
                forwarded.append((index, event))
            } catch {
                results[index] = .failure(error)
            }
        }
        for (slot, result) in zip(forwarded, mirror.apply(batch: forwarded.map(\.event))) {
            results[slot.index] = result
        }
        return results.map { $0 ?? .failure(.unavailable("not applied")) }
    }

    package func isFree(_ calendar: CalendarRef, start: Date, end: Date, ignoring: String?) throws(PartnerError) -> Bool
    {
        try mirror.isFree(calendar, start: start, end: end, ignoring: ignoring)
    }

    package func booking(docplannerID: String) throws(PartnerError) -> PartnerBooking? {
        try mirror.booking(docplannerID: docplannerID)
    }

    // MARK: - ClinicCalendar: the mirror's

    package func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord] {
        try mirror.pendingChanges(limit: limit)
    }

    package func forgetChanges(through id: Int64) throws(PartnerError) { try mirror.forgetChanges(through: id) }

    package func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking? {
        try mirror.clinicBooking(rowID: rowID)
    }

    package func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking] {
        try mirror.clinicBookings(calendar, from: from, to: to)
    }

    package func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError) {
        try mirror.recordBookingSynced(rowID: rowID, state)
    }

    package func recordBookingAttempt(rowID: Int64, start: Date) throws(PartnerError) {
        try mirror.recordBookingAttempt(rowID: rowID, start: start)
    }

    package func clinicBreak(rowID: Int64) throws(PartnerError) -> ClinicBreak? { try mirror.clinicBreak(rowID: rowID) }

    package func clinicBreakRows(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [Int64] {
        try mirror.clinicBreakRows(calendar, from: from, to: to)
    }

    package func recordBreakSynced(rowID: Int64, docplannerID: String?, since: Date?, till: Date?, deleted: Bool)
        throws(PartnerError)
    {
        try mirror.recordBreakSynced(
            rowID: rowID, docplannerID: docplannerID, since: since, till: till, deleted: deleted)
    }

    package func knownCalendars() throws(PartnerError) -> [CalendarRef] { try mirror.knownCalendars() }

    package func calendarsWithAvailability() throws(PartnerError) -> [CalendarRef] {
        try mirror.calendarsWithAvailability()
    }

    package func availability(_ calendar: CalendarRef, days: [String], timeZone: TimeZone) throws(PartnerError)
        -> [String: [AvailabilityWindow]]
    {
        try mirror.availability(calendar, days: days, timeZone: timeZone)
    }

    package func slotSignatures(_ calendar: CalendarRef) throws(PartnerError) -> [String: String] {
        try mirror.slotSignatures(calendar)
    }

    package func recordSlotSignatures(_ calendar: CalendarRef, _ signatures: [String: String]) throws(PartnerError) {
        try mirror.recordSlotSignatures(calendar, signatures)
    }

    package func recordSlotSent(_ calendar: CalendarRef, day: String, signature: String, sent: String, at: Date)
        throws(PartnerError)
    {
        try mirror.recordSlotSent(calendar, day: day, signature: signature, sent: sent, at: at)
    }

    package func slotSends(_ calendar: CalendarRef, since: Date) throws(PartnerError) -> [SlotSend] {
        try mirror.slotSends(calendar, since: since)
    }
}
