import Foundation
import SQLite

/// Writes made on the clinic's behalf (the admin listener's `/v1` API): each is one
/// transaction *not* marked as dpbridge's own, so the change-log triggers capture it and
/// outbound sync sends it to Docplanner, exactly as if clinic software had written the
/// file. Nothing is half-written: a failure rolls the whole call back.
extension EmbeddedPartner {
    /// Inserts a clinic booking; returns its row id.
    package func insertClinicBooking(_ booking: NewClinicBooking) throws(PartnerError) -> Int64 {
        try asClinic { database throws(SQLiteError) in
            func text(_ value: String?) -> StatementValue { value.map { .text($0) } ?? .null }
            return try database.insertReturningID(
                """
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, start_ts, end_ts,
                    address_service_id, patient_name, patient_surname, patient_email, patient_phone, comment, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'clinic') RETURNING id
                """,
                [
                    .text(booking.calendar.facilityID), .text(booking.calendar.doctorID),
                    .text(booking.calendar.addressID), .text(booking.start.text), .text(booking.end.text),
                    .real(booking.start.date.timeIntervalSince1970), .real(booking.end.date.timeIntervalSince1970),
                    .text(booking.addressServiceID), text(booking.patient.name), text(booking.patient.surname),
                    text(booking.patient.email), text(booking.patient.phone), text(booking.comment),
                ]) ?? 0
        }
    }

    /// Applies `edit` to booking `rowID`; false when there is no such row.
    package func updateClinicBooking(rowID: Int64, _ edit: ClinicBookingEdit) throws(PartnerError) -> Bool {
        try asClinic { database throws(SQLiteError) in
            guard try database.scalar("SELECT count(*) FROM bookings WHERE id = ?", .integer(rowID)) > 0 else {
                return false
            }
            var assignments: [String] = []
            var values: [StatementValue] = []
            if let times = edit.times {
                assignments += ["start_at = ?", "end_at = ?", "start_ts = ?", "end_ts = ?"]
                values += [
                    .text(times.start.text), .text(times.end.text), .real(times.start.date.timeIntervalSince1970),
                    .real(times.end.date.timeIntervalSince1970),
                ]
            }
            if edit.canceled { assignments.append("status = 'canceled'") }
            if let confirmed = edit.confirmed {
                assignments.append("confirmed = ?")
                values.append(.integer(confirmed ? 1 : 0))
            }
            if let presence = edit.presence {
                assignments.append("presence = ?")
                values.append(.text(presence))
            }
            guard !assignments.isEmpty else { return true }
            assignments.append("updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")
            try database.prepare("UPDATE bookings SET \(assignments.joined(separator: ", ")) WHERE id = ?")
                .run(values + [.integer(rowID)])
            return true
        }
    }

    /// Deletes booking `rowID` (Docplanner's booking is canceled); false when there is none.
    package func deleteClinicBooking(rowID: Int64) throws(PartnerError) -> Bool {
        try asClinic { database throws(SQLiteError) in
            try database.prepare("DELETE FROM bookings WHERE id = ?").run([.integer(rowID)])
            return database.changes > 0
        }
    }

    /// Replaces every weekly row of `calendar` by `rows` (none: the doctor has no weekly hours).
    package func replaceWorkingHours(_ calendar: CalendarRef, _ rows: [WorkingHoursRow]) throws(PartnerError) {
        try asClinic { database throws(SQLiteError) in
            try database.prepare("DELETE FROM working_hours WHERE doctor_id = ? AND address_id = ?")
                .run([.text(calendar.doctorID), .text(calendar.addressID)])
            for row in rows {
                try database.prepare(
                    """
                    INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time,
                        address_service_id, duration, valid_from, valid_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).run([
                    .text(calendar.facilityID), .text(calendar.doctorID), .text(calendar.addressID),
                    .integer(Int64(row.weekday)), .text(row.startTime), .text(row.endTime), .text(row.addressServiceID),
                    .integer(Int64(row.duration)), row.validFrom.map { .text($0) } ?? .null,
                    row.validUntil.map { .text($0) } ?? .null,
                ])
            }
        }
    }

    /// Replaces the day slots of `calendar` on `day`: `rows` (none: the day is closed),
    /// or, with nil, removes them so the weekly hours apply again.
    package func replaceDaySlots(_ calendar: CalendarRef, day: String, _ rows: [DaySlotRow]?) throws(PartnerError) {
        try asClinic { database throws(SQLiteError) in
            try database.prepare("DELETE FROM day_slots WHERE doctor_id = ? AND address_id = ? AND day = ?")
                .run([.text(calendar.doctorID), .text(calendar.addressID), .text(day)])
            guard let rows else { return }
            let closed = [DaySlotRow(startTime: "00:00", endTime: "00:00", addressServiceID: "", duration: 0)]
            for row in rows.isEmpty ? closed : rows {
                try database.prepare(
                    """
                    INSERT INTO day_slots (facility_id, doctor_id, address_id, day, start_time, end_time,
                        address_service_id, duration)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).run([
                    .text(calendar.facilityID), .text(calendar.doctorID), .text(calendar.addressID), .text(day),
                    .text(row.startTime), .text(row.endTime), .text(row.addressServiceID),
                    .integer(Int64(row.duration)),
                ])
            }
        }
    }

    /// Inserts a clinic break; returns its row id.
    package func insertClinicBreak(_ item: NewClinicBreak) throws(PartnerError) -> Int64 {
        try asClinic { database throws(SQLiteError) in
            return try database.insertReturningID(
                """
                INSERT INTO breaks (facility_id, doctor_id, address_id, since, till, since_ts, till_ts, description, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'clinic') RETURNING id
                """,
                [
                    .text(item.calendar.facilityID), .text(item.calendar.doctorID), .text(item.calendar.addressID),
                    .text(item.since.text), .text(item.till.text), .real(item.since.date.timeIntervalSince1970),
                    .real(item.till.date.timeIntervalSince1970), item.description.map { .text($0) } ?? .null,
                ]) ?? 0
        }
    }

    /// Moves break `rowID`; false when there is none.
    package func moveClinicBreak(rowID: Int64, since: ClinicTime, till: ClinicTime) throws(PartnerError) -> Bool {
        try asClinic { database throws(SQLiteError) in
            try database.prepare(
                """
                UPDATE breaks SET since = ?, till = ?, since_ts = ?, till_ts = ?,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?
                """
            ).run([
                .text(since.text), .text(till.text), .real(since.date.timeIntervalSince1970),
                .real(till.date.timeIntervalSince1970), .integer(rowID),
            ])
            return database.changes > 0
        }
    }

    /// Deletes break `rowID` (Docplanner's break is deleted); false when there is none.
    package func deleteClinicBreak(rowID: Int64) throws(PartnerError) -> Bool {
        try asClinic { database throws(SQLiteError) in
            try database.prepare("DELETE FROM breaks WHERE id = ?").run([.integer(rowID)])
            return database.changes > 0
        }
    }

    /// Runs `body` in one transaction as the clinic (captured by the change-log triggers).
    private func asClinic<T>(_ body: (any SQLConnection) throws(SQLiteError) -> T) throws(PartnerError) -> T {
        try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) in try body(database) }
        }
    }
}
