import Foundation
import Partner

/// The `/v1` request bodies, checked and turned into the calendar's write types. Each
/// function throws a `FieldError` naming the first field that is wrong.
enum PartnerAPIRequests {
    static func newBooking(_ body: [UInt8]) throws(FieldError) -> NewClinicBooking {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown([
            "facility_id", "doctor_id", "address_id", "start", "end", "address_service_id", "patient", "comment",
        ])
        let calendar = try calendarRef(fields)
        let (start, end) = try span(fields, "start", "end")
        let addressService = try fields.requiredString("address_service_id")
        guard let patientFields = try fields.object("patient") else {
            throw FieldError(field: "patient", problem: "is required (an object with name, surname, email, phone)")
        }
        try patientFields.rejectUnknown(["name", "surname", "email", "phone"])
        let patient = PartnerPatient(
            name: try patientFields.requiredString("name"), surname: try patientFields.string("surname"),
            email: try patientFields.string("email"), phone: try patientFields.requiredString("phone"))
        if let email = patient.email, !email.contains("@") {
            throw FieldError(field: "patient.email", problem: "must be an e-mail address")
        }
        let comment: String?
        if case .string(let text)? = fields.fields["comment"] {
            comment = text
        } else {
            comment = try fields.string("comment")
        }
        return NewClinicBooking(
            calendar: calendar, start: start, end: end, addressServiceID: addressService, patient: patient,
            comment: comment)
    }

    static func bookingEdit(_ body: [UInt8]) throws(FieldError) -> ClinicBookingEdit {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown(["start", "end", "status", "confirmed", "presence"])
        var edit = ClinicBookingEdit()
        if fields.has("start") || fields.has("end") {
            let (start, end) = try span(fields, "start", "end")
            edit.times = (start, end)
        }
        if let status = try fields.string("status") {
            guard status == "canceled" else {
                throw FieldError(
                    field: "status", problem: "can only be set to canceled (move a visit with start and end)")
            }
            edit.canceled = true
        }
        if let confirmed = try fields.bool("confirmed") {
            guard confirmed else { throw FieldError(field: "confirmed", problem: "can only be set to true") }
            edit.confirmed = true
        }
        if let presence = try fields.string("presence") {
            guard presence == "present" || presence == "absent" else {
                throw FieldError(field: "presence", problem: "must be present or absent")
            }
            edit.presence = presence
        }
        guard edit != ClinicBookingEdit() else {
            throw FieldError(field: "", problem: "nothing to change: give start and end, status, confirmed or presence")
        }
        return edit
    }

    static func workingHours(_ body: [UInt8]) throws(FieldError) -> [WorkingHoursRow] {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown(["hours"])
        guard let items = try fields.objects("hours") else {
            throw FieldError(field: "hours", problem: "is required (an array; empty removes the weekly hours)")
        }
        var rows: [WorkingHoursRow] = []
        for item in items {
            try item.rejectUnknown([
                "weekday", "start_time", "end_time", "address_service_id", "duration", "valid_from", "valid_until",
            ])
            let (start, end) = try clockSpan(item)
            let row = WorkingHoursRow(
                weekday: try item.requiredInt("weekday", in: 1...7), startTime: start, endTime: end,
                addressServiceID: try item.requiredString("address_service_id"),
                duration: try item.requiredInt("duration", in: 1...1440), validFrom: try item.day("valid_from"),
                validUntil: try item.day("valid_until"))
            if let from = row.validFrom, let until = row.validUntil, until < from {
                throw FieldError(field: item.name("valid_until"), problem: "must not be before valid_from")
            }
            rows.append(row)
        }
        return rows
    }

    static func daySlots(_ body: [UInt8]) throws(FieldError) -> [DaySlotRow] {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown(["slots"])
        guard let items = try fields.objects("slots") else {
            throw FieldError(field: "slots", problem: "is required (an array; empty closes the day)")
        }
        var rows: [DaySlotRow] = []
        for item in items {
            try item.rejectUnknown(["start_time", "end_time", "address_service_id", "duration"])
            let (start, end) = try clockSpan(item)
            rows.append(
                DaySlotRow(
                    startTime: start, endTime: end, addressServiceID: try item.requiredString("address_service_id"),
                    duration: try item.requiredInt("duration", in: 1...1440)))
        }
        return rows
    }

    static func newBreak(_ body: [UInt8]) throws(FieldError) -> NewClinicBreak {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown(["facility_id", "doctor_id", "address_id", "since", "till", "description"])
        let calendar = try calendarRef(fields)
        let (since, till) = try span(fields, "since", "till")
        return NewClinicBreak(
            calendar: calendar, since: since, till: till, description: try fields.string("description"))
    }

    static func breakMove(_ body: [UInt8]) throws(FieldError) -> (since: ClinicTime, till: ClinicTime) {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown(["since", "till"])
        return try span(fields, "since", "till")
    }

    /// A path's `{day}`: `YYYY-MM-DD`.
    static func day(_ text: String) throws(FieldError) -> String {
        guard JSONFields.isDay(text) else { throw FieldError(field: "day", problem: "must be a date YYYY-MM-DD") }
        return text
    }

    // MARK: - Parts

    private static func calendarRef(_ fields: JSONFields) throws(FieldError) -> CalendarRef {
        CalendarRef(
            facilityID: try fields.requiredString("facility_id"), doctorID: try fields.requiredString("doctor_id"),
            addressID: try fields.requiredString("address_id"))
    }

    /// Two times given together, the second after the first.
    private static func span(_ fields: JSONFields, _ first: String, _ second: String) throws(FieldError)
        -> (ClinicTime, ClinicTime)
    {
        let start = try fields.requiredTime(first)
        let end = try fields.requiredTime(second)
        guard end.date > start.date else {
            throw FieldError(field: fields.name(second), problem: "must be after \(first)")
        }
        return (start, end)
    }

    private static func clockSpan(_ fields: JSONFields) throws(FieldError) -> (String, String) {
        let start = try fields.clock("start_time")
        let end = try fields.clock("end_time")
        guard end > start else { throw FieldError(field: fields.name("end_time"), problem: "must be after start_time") }
        guard start != "24:00" else {
            throw FieldError(field: fields.name("start_time"), problem: "must be before 24:00")
        }
        return (start, end)
    }
}
