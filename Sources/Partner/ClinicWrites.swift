import Foundation

/// A time as a clinic writes it: the ISO 8601 text (with its offset) and the instant.
public struct ClinicTime: Sendable, Equatable {
    public var text: String
    public var date: Date

    public init(text: String, date: Date) {
        self.text = text
        self.date = date
    }
}

/// A visit booked in the clinic (a `bookings` row without a Docplanner id yet).
public struct NewClinicBooking: Sendable, Equatable {
    public var calendar: CalendarRef
    public var start: ClinicTime
    public var end: ClinicTime
    public var addressServiceID: String
    public var patient: PartnerPatient
    public var comment: String?

    public init(
        calendar: CalendarRef, start: ClinicTime, end: ClinicTime, addressServiceID: String, patient: PartnerPatient,
        comment: String?
    ) {
        self.calendar = calendar
        self.start = start
        self.end = end
        self.addressServiceID = addressServiceID
        self.patient = patient
        self.comment = comment
    }
}

/// A clinic-side edit of a booking; nil leaves a value as it is.
public struct ClinicBookingEdit: Sendable, Equatable {
    /// A move: the new start and end, together.
    public var times: (start: ClinicTime, end: ClinicTime)?
    public var canceled: Bool = false
    public var confirmed: Bool?
    /// `present` or `absent`.
    public var presence: String?

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.times?.start == b.times?.start && a.times?.end == b.times?.end && a.canceled == b.canceled
            && a.confirmed == b.confirmed && a.presence == b.presence
    }
}

/// One weekly `working_hours` row of a calendar.
public struct WorkingHoursRow: Sendable, Equatable {
    public var weekday: Int
    public var startTime: String
    public var endTime: String
    public var addressServiceID: String
    public var duration: Int
    public var validFrom: String?
    public var validUntil: String?

    public init(
        weekday: Int, startTime: String, endTime: String, addressServiceID: String, duration: Int,
        validFrom: String? = nil, validUntil: String? = nil
    ) {
        self.weekday = weekday
        self.startTime = startTime
        self.endTime = endTime
        self.addressServiceID = addressServiceID
        self.duration = duration
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// One `day_slots` row: availability on one date.
public struct DaySlotRow: Sendable, Equatable {
    public var startTime: String
    public var endTime: String
    public var addressServiceID: String
    public var duration: Int

    public init(startTime: String, endTime: String, addressServiceID: String, duration: Int) {
        self.startTime = startTime
        self.endTime = endTime
        self.addressServiceID = addressServiceID
        self.duration = duration
    }
}

/// A break the clinic adds.
public struct NewClinicBreak: Sendable, Equatable {
    public var calendar: CalendarRef
    public var since: ClinicTime
    public var till: ClinicTime
    public var description: String?

    public init(calendar: CalendarRef, since: ClinicTime, till: ClinicTime, description: String?) {
        self.calendar = calendar
        self.since = since
        self.till = till
        self.description = description
    }
}
