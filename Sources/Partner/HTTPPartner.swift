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
public final class HTTPPartner: PartnerSystem, ClinicCalendar {
    public let mirror: EmbeddedPartner
    public let forwarder: PartnerForwarder

    public init(mirror: EmbeddedPartner, forwarder: PartnerForwarder) {
        self.mirror = mirror
        self.forwarder = forwarder
    }

    public func apply(_ changes: [PartnerChange], eventKey: String, eventTime: Date) throws(PartnerError) -> Bool {
        if try mirror.hasApplied(eventKey: eventKey) { return false }
        try forwarder.forward(PartnerEvent(eventKey: eventKey, eventTime: eventTime, changes: changes))
        return try mirror.apply(changes, eventKey: eventKey, eventTime: eventTime)
    }

    /// Each event not yet in the mirror is forwarded first, one signed POST each as
    /// `apply` does; the mirror then records the forwarded ones in one transaction.
    public func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
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

    public func isFree(_ calendar: CalendarRef, start: Date, end: Date, ignoring: String?) throws(PartnerError) -> Bool
    {
        try mirror.isFree(calendar, start: start, end: end, ignoring: ignoring)
    }

    public func booking(docplannerID: String) throws(PartnerError) -> PartnerBooking? {
        try mirror.booking(docplannerID: docplannerID)
    }

    // MARK: - ClinicCalendar: the mirror's

    public func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord] {
        try mirror.pendingChanges(limit: limit)
    }

    public func forgetChanges(through id: Int64) throws(PartnerError) { try mirror.forgetChanges(through: id) }

    public func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking? {
        try mirror.clinicBooking(rowID: rowID)
    }

    public func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking] {
        try mirror.clinicBookings(calendar, from: from, to: to)
    }

    public func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError) {
        try mirror.recordBookingSynced(rowID: rowID, state)
    }

    public func recordBookingAttempt(rowID: Int64, start: Date) throws(PartnerError) {
        try mirror.recordBookingAttempt(rowID: rowID, start: start)
    }

    public func clinicBreak(rowID: Int64) throws(PartnerError) -> ClinicBreak? { try mirror.clinicBreak(rowID: rowID) }

    public func clinicBreakRows(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [Int64] {
        try mirror.clinicBreakRows(calendar, from: from, to: to)
    }

    public func recordBreakSynced(rowID: Int64, docplannerID: String?, since: Date?, till: Date?, deleted: Bool)
        throws(PartnerError)
    {
        try mirror.recordBreakSynced(
            rowID: rowID, docplannerID: docplannerID, since: since, till: till, deleted: deleted)
    }

    public func knownCalendars() throws(PartnerError) -> [CalendarRef] { try mirror.knownCalendars() }

    public func calendarsWithAvailability() throws(PartnerError) -> [CalendarRef] {
        try mirror.calendarsWithAvailability()
    }

    public func availability(_ calendar: CalendarRef, days: [String], timeZone: TimeZone) throws(PartnerError)
        -> [String: [AvailabilityWindow]]
    {
        try mirror.availability(calendar, days: days, timeZone: timeZone)
    }

    public func slotSignatures(_ calendar: CalendarRef) throws(PartnerError) -> [String: String] {
        try mirror.slotSignatures(calendar)
    }

    public func recordSlotSignatures(_ calendar: CalendarRef, _ signatures: [String: String]) throws(PartnerError) {
        try mirror.recordSlotSignatures(calendar, signatures)
    }

    public func recordSlotSent(_ calendar: CalendarRef, day: String, signature: String, sent: String, at: Date)
        throws(PartnerError)
    {
        try mirror.recordSlotSent(calendar, day: day, signature: signature, sent: sent, at: at)
    }

    public func slotSends(_ calendar: CalendarRef, since: Date) throws(PartnerError) -> [SlotSend] {
        try mirror.slotSends(calendar, since: since)
    }
}
