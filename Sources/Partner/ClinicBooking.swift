import Foundation

/// A booking row as the clinic left it, with what Docplanner last acknowledged of it
/// (`synced*`): the difference is what outbound sync must send.
package struct ClinicBooking: Sendable, Equatable {
    package var rowID: Int64
    /// Nil until Docplanner has the booking (a visit booked in the clinic).
    package var docplannerID: String?
    package var calendar: CalendarRef
    package var start: Date?
    package var end: Date?
    package var addressServiceID: String?
    package var patient: PartnerPatient?
    package var comment: String?
    package var status: PartnerBooking.Status
    package var confirmed: Bool
    package var presence: String?
    package var syncedStatus: PartnerBooking.Status?
    /// The start Docplanner holds; without a `docplannerID`, where an earlier attempt
    /// was booking it (`ClinicCalendar.recordBookingAttempt`).
    package var syncedStart: Date?
    package var syncedConfirmed: Bool
    package var syncedPresence: String?

    package init(
        rowID: Int64, docplannerID: String?, calendar: CalendarRef, start: Date?, end: Date?, addressServiceID: String?,
        patient: PartnerPatient?, comment: String?, status: PartnerBooking.Status, confirmed: Bool, presence: String?,
        syncedStatus: PartnerBooking.Status?, syncedStart: Date?, syncedConfirmed: Bool, syncedPresence: String?
    ) {
        self.rowID = rowID
        self.docplannerID = docplannerID
        self.calendar = calendar
        self.start = start
        self.end = end
        self.addressServiceID = addressServiceID
        self.patient = patient
        self.comment = comment
        self.status = status
        self.confirmed = confirmed
        self.presence = presence
        self.syncedStatus = syncedStatus
        self.syncedStart = syncedStart
        self.syncedConfirmed = syncedConfirmed
        self.syncedPresence = syncedPresence
    }

    /// Visit length in minutes (at least 1).
    package var durationMinutes: Int {
        guard let start, let end else { return 0 }
        return max(1, Int((end.timeIntervalSince(start) / 60).rounded()))
    }
}

/// What Docplanner now holds of a booking, written back after a call succeeds.
package struct BookingSyncState: Sendable, Equatable {
    package var docplannerID: String
    package var status: PartnerBooking.Status
    package var start: Date?
    package var confirmed: Bool
    package var presence: String?

    package init(docplannerID: String, status: PartnerBooking.Status, start: Date?, confirmed: Bool, presence: String?)
    {
        self.docplannerID = docplannerID
        self.status = status
        self.start = start
        self.confirmed = confirmed
        self.presence = presence
    }
}
