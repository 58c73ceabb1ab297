import Foundation

/// The outbound side of a partner calendar: the changes the clinic made, the rows they
/// name, the availability they define, and the bookkeeping of what Docplanner already
/// has. Writes made here are dpbridge's own and are not captured as clinic changes.
package protocol ClinicCalendar: Sendable {
    /// The oldest captured changes, at most `limit`.
    func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord]
    /// Drops captured changes up to and including `id` (they are safely in the outbox).
    func forgetChanges(through id: Int64) throws(PartnerError)

    func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking?
    /// The calendar's bookings starting in `from..<to`.
    func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking]
    /// Records what Docplanner now holds of booking `rowID`.
    func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError)
    /// Records, before the call, that booking `rowID` (not on Docplanner yet) is about to be
    /// booked there at `start` (`ClinicBooking.syncedStart` while it has no Docplanner id):
    /// should the answer be lost, a retry looks for the booking at that time, even if the
    /// clinic has moved the visit meanwhile.
    func recordBookingAttempt(rowID: Int64, start: Date) throws(PartnerError)

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
    /// Records that `day` was fed: Docplanner now holds `signature`, sent in a body
    /// spelled as `sent` (the signature of the variant sent) at `at`.
    func recordSlotSent(_ calendar: CalendarRef, day: String, signature: String, sent: String, at: Date)
        throws(PartnerError)
    /// The bodies sent for the calendar's days since `since`.
    func slotSends(_ calendar: CalendarRef, since: Date) throws(PartnerError) -> [SlotSend]
}

/// A `replaceSlots` body sent for one day: its signature and when it was sent.
package struct SlotSend: Sendable, Equatable {
    package var day: String
    package var signature: String
    package var sentAt: Date

    package init(day: String, signature: String, sentAt: Date) {
        self.day = day
        self.signature = signature
        self.sentAt = sentAt
    }
}
