import Foundation

/// A booking row as the clinic left it, with what Docplanner last acknowledged of it
/// (`synced*`): the difference is what outbound sync must send.
public struct ClinicBooking: Sendable, Equatable {
    public var rowID: Int64
    /// Nil until Docplanner has the booking (a visit booked in the clinic).
    public var docplannerID: String?
    public var calendar: CalendarRef
    public var start: Date?
    public var end: Date?
    public var addressServiceID: String?
    public var patient: PartnerPatient?
    public var comment: String?
    public var status: PartnerBooking.Status
    public var confirmed: Bool
    public var presence: String?
    public var syncedStatus: PartnerBooking.Status?
    /// The start Docplanner holds; without a `docplannerID`, where an earlier attempt
    /// was booking it (`ClinicCalendar.recordBookingAttempt`).
    public var syncedStart: Date?
    public var syncedConfirmed: Bool
    public var syncedPresence: String?

    public init(
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
    public var durationMinutes: Int {
        guard let start, let end else { return 0 }
        return max(1, Int((end.timeIntervalSince(start) / 60).rounded()))
    }
}

/// What Docplanner now holds of a booking, written back after a call succeeds.
public struct BookingSyncState: Sendable, Equatable {
    public var docplannerID: String
    public var status: PartnerBooking.Status
    public var start: Date?
    public var confirmed: Bool
    public var presence: String?

    public init(docplannerID: String, status: PartnerBooking.Status, start: Date?, confirmed: Bool, presence: String?) {
        self.docplannerID = docplannerID
        self.status = status
        self.start = start
        self.confirmed = confirmed
        self.presence = presence
    }
}
