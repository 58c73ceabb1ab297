import Foundation

/// A time as a clinic writes it: the ISO 8601 text (with its offset) and the instant.
package struct ClinicTime: Sendable, Equatable {
    package var text: String
    package var date: Date

    package init(text: String, date: Date) {
        self.text = text
        self.date = date
    }
}

/// A visit booked in the clinic (a `bookings` row without a Docplanner id yet).
package struct NewClinicBooking: Sendable, Equatable {
    package var calendar: CalendarRef
    package var start: ClinicTime
    package var end: ClinicTime
    package var addressServiceID: String
    package var patient: PartnerPatient
    package var comment: String?

    package init(
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
package struct ClinicBookingEdit: Sendable, Equatable {
    /// A move: the new start and end, together.
    package var times: (start: ClinicTime, end: ClinicTime)?
    package var canceled: Bool = false
    package var confirmed: Bool?
    /// `present` or `absent`.
    package var presence: String?

    package init() {}

    package static func == (a: Self, b: Self) -> Bool {
        a.times?.start == b.times?.start && a.times?.end == b.times?.end && a.canceled == b.canceled
            && a.confirmed == b.confirmed && a.presence == b.presence
    }
}

/// One weekly `working_hours` row of a calendar.
package struct WorkingHoursRow: Sendable, Equatable {
    package var weekday: Int
    package var startTime: String
    package var endTime: String
    package var addressServiceID: String
    package var duration: Int
    package var validFrom: String?
    package var validUntil: String?

    package init(
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
package struct DaySlotRow: Sendable, Equatable {
    package var startTime: String
    package var endTime: String
    package var addressServiceID: String
    package var duration: Int

    package init(startTime: String, endTime: String, addressServiceID: String, duration: Int) {
        self.startTime = startTime
        self.endTime = endTime
        self.addressServiceID = addressServiceID
        self.duration = duration
    }
}

/// A break the clinic adds.
package struct NewClinicBreak: Sendable, Equatable {
    package var calendar: CalendarRef
    package var since: ClinicTime
    package var till: ClinicTime
    package var description: String?

    package init(calendar: CalendarRef, since: ClinicTime, till: ClinicTime, description: String?) {
        self.calendar = calendar
        self.since = since
        self.till = till
        self.description = description
    }
}
