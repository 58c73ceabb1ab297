import Foundation
import Partner

/// The partner adapter with every call counted (`dpbridge_partner_calls_total`) by
/// operation and outcome: `ok`, or the `PartnerError` it threw (`unavailable`, `rejected`).
/// Wraps the embedded calendar or the HTTP adapter; keeps the Partner module free of metrics.
final class MeteredPartner: PartnerSystem, ClinicCalendar {
    let base: any PartnerSystem & ClinicCalendar
    /// The `adapter` label: `embedded` or `http`.
    let adapter: String
    let metrics: DaemonMetrics

    init(_ base: any PartnerSystem & ClinicCalendar, adapter: String, metrics: DaemonMetrics) {
        self.base = base
        self.adapter = adapter
        self.metrics = metrics
    }

    private func observe<T>(_ operation: String, _ body: () throws(PartnerError) -> T) throws(PartnerError) -> T {
        do {
            let value = try body()
            metrics.partnerCall(adapter: adapter, operation: operation, outcome: "ok")
            return value
        } catch {
            metrics.partnerCall(
                adapter: adapter, operation: operation, outcome: error.isRetryable ? "unavailable" : "rejected")
            throw error
        }
    }

    // MARK: - PartnerSystem

    func apply(_ changes: [PartnerChange], eventKey: String, eventTime: Date) throws(PartnerError) -> Bool {
        try observe("apply") { () throws(PartnerError) in
            try base.apply(changes, eventKey: eventKey, eventTime: eventTime)
        }
    }

    func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
        let results = base.apply(batch: events)
        for result in results {
            switch result {
            case .success: metrics.partnerCall(adapter: adapter, operation: "apply", outcome: "ok")
            case .failure(let error):
                metrics.partnerCall(
                    adapter: adapter, operation: "apply", outcome: error.isRetryable ? "unavailable" : "rejected")
            }
        }
        return results
    }

    func isFree(_ calendar: CalendarRef, start: Date, end: Date, ignoring: String?) throws(PartnerError) -> Bool {
        try observe("isFree") { () throws(PartnerError) in
            try base.isFree(calendar, start: start, end: end, ignoring: ignoring)
        }
    }

    func booking(docplannerID: String) throws(PartnerError) -> PartnerBooking? {
        try observe("booking") { () throws(PartnerError) in try base.booking(docplannerID: docplannerID) }
    }

    // MARK: - ClinicCalendar

    func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord] {
        try observe("pendingChanges") { () throws(PartnerError) in try base.pendingChanges(limit: limit) }
    }

    func forgetChanges(through id: Int64) throws(PartnerError) {
        try observe("forgetChanges") { () throws(PartnerError) in try base.forgetChanges(through: id) }
    }

    func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking? {
        try observe("clinicBooking") { () throws(PartnerError) in try base.clinicBooking(rowID: rowID) }
    }

    func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking] {
        try observe("clinicBookings") { () throws(PartnerError) in try base.clinicBookings(calendar, from: from, to: to)
        }
    }

    func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError) {
        try observe("recordBookingSynced") { () throws(PartnerError) in
            try base.recordBookingSynced(rowID: rowID, state)
        }
    }

    func recordBookingAttempt(rowID: Int64, start: Date) throws(PartnerError) {
        try observe("recordBookingAttempt") { () throws(PartnerError) in
            try base.recordBookingAttempt(rowID: rowID, start: start)
        }
    }

    func clinicBreak(rowID: Int64) throws(PartnerError) -> ClinicBreak? {
        try observe("clinicBreak") { () throws(PartnerError) in try base.clinicBreak(rowID: rowID) }
    }

    func clinicBreakRows(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [Int64] {
        try observe("clinicBreakRows") { () throws(PartnerError) in
            try base.clinicBreakRows(calendar, from: from, to: to)
        }
    }

    func recordBreakSynced(rowID: Int64, docplannerID: String?, since: Date?, till: Date?, deleted: Bool)
        throws(PartnerError)
    {
        try observe("recordBreakSynced") { () throws(PartnerError) in
            try base.recordBreakSynced(
                rowID: rowID, docplannerID: docplannerID, since: since, till: till, deleted: deleted)
        }
    }

    func knownCalendars() throws(PartnerError) -> [CalendarRef] {
        try observe("knownCalendars") { () throws(PartnerError) in try base.knownCalendars() }
    }

    func calendarsWithAvailability() throws(PartnerError) -> [CalendarRef] {
        try observe("calendarsWithAvailability") { () throws(PartnerError) in try base.calendarsWithAvailability() }
    }

    func availability(_ calendar: CalendarRef, days: [String], timeZone: TimeZone) throws(PartnerError)
        -> [String: [AvailabilityWindow]]
    {
        try observe("availability") { () throws(PartnerError) in
            try base.availability(calendar, days: days, timeZone: timeZone)
        }
    }

    func slotSignatures(_ calendar: CalendarRef) throws(PartnerError) -> [String: String] {
        try observe("slotSignatures") { () throws(PartnerError) in try base.slotSignatures(calendar) }
    }

    func recordSlotSignatures(_ calendar: CalendarRef, _ signatures: [String: String]) throws(PartnerError) {
        try observe("recordSlotSignatures") { () throws(PartnerError) in
            try base.recordSlotSignatures(calendar, signatures)
        }
    }

    func recordSlotSent(_ calendar: CalendarRef, day: String, signature: String, sent: String, at: Date)
        throws(PartnerError)
    {
        try observe("recordSlotSent") { () throws(PartnerError) in
            try base.recordSlotSent(calendar, day: day, signature: signature, sent: sent, at: at)
        }
    }

    func slotSends(_ calendar: CalendarRef, since: Date) throws(PartnerError) -> [SlotSend] {
        try observe("slotSends") { () throws(PartnerError) in try base.slotSends(calendar, since: since) }
    }
}
