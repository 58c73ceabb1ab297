import Foundation

/// The outbound side of a partner calendar: the changes the clinic made, the rows they
/// name, the availability they define, and the bookkeeping of what Docplanner already
/// has. Writes made here are dpbridge's own and are not captured as clinic changes.
public protocol ClinicCalendar: Sendable {
    /// The oldest captured changes, at most `limit`.
    func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord]
    /// Drops captured changes up to and including `id` (they are safely in the outbox).
    func forgetChanges(through id: Int64) throws(PartnerError)

    func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking?
    /// The calendar's bookings starting in `from..<to`.
    func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking]
    /// Records what Docplanner now holds of booking `rowID`.
    func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError)

    func clinicBreak(rowID: Int64) throws(PartnerError) -> ClinicBreak?
    /// Row ids of the calendar's breaks (deleted ones too) that end after `from` and start before `to`.
    func clinicBreakRows(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [Int64]
    /// Records what Docplanner now holds of break `rowID` (nil id: it has none).
    func recordBreakSynced(rowID: Int64, docplannerID: String?, since: Date?, till: Date?, deleted: Bool)
        throws(PartnerError)

    /// Every calendar the clinic calendar holds anything of (bookings, breaks, hours).
    func knownCalendars() throws(PartnerError) -> [CalendarRef]
    /// The calendars that have working hours or day slots.
    func calendarsWithAvailability() throws(PartnerError) -> [CalendarRef]
    /// Availability per day (`YYYY-MM-DD` in `timeZone`) for `days`; days without any are
    /// absent.
    func availability(_ calendar: CalendarRef, days: [String], timeZone: TimeZone) throws(PartnerError)
        -> [String: [AvailabilityWindow]]
    /// Per day, the signature of the slots last fed to Docplanner.
    func slotSignatures(_ calendar: CalendarRef) throws(PartnerError) -> [String: String]
    /// Stores signatures; an empty signature removes the day's record.
    func recordSlotSignatures(_ calendar: CalendarRef, _ signatures: [String: String]) throws(PartnerError)
}
