import Foundation
import SQLite

/// The outbound side of the embedded calendar: clinic changes captured by the triggers,
/// the rows they name, availability from working hours and day slots, and dpbridge's
/// bookkeeping of what Docplanner holds. dpbridge's own writes run with
/// `dpbridge_session.applying = 1`, so they are not captured as clinic changes.
extension EmbeddedPartner: ClinicCalendar {
    package func pendingChanges(limit: Int) throws(PartnerError) -> [ClinicChangeRecord] {
        try withDatabase { database throws(SQLiteError) in
            let select = try database.prepare(
                """
                SELECT id, table_name, row_id, operation, coalesce(facility_id, ''), coalesce(doctor_id, ''),
                coalesce(address_id, ''), docplanner_id FROM change_log ORDER BY id LIMIT ?
                """)
            try select.bind([.integer(Int64(limit))])
            defer { select.reset() }
            var records: [ClinicChangeRecord] = []
            while try select.step() {
                guard let table = ClinicChangeRecord.Table(rawValue: select.text(1) ?? "") else { continue }
                records.append(
                    ClinicChangeRecord(
                        id: select.int64(0), table: table, rowID: select.int64(2), operation: select.text(3) ?? "",
                        calendar: CalendarRef(
                            facilityID: select.text(4) ?? "", doctorID: select.text(5) ?? "",
                            addressID: select.text(6) ?? ""),
                        docplannerID: select.text(7)))
            }
            return records
        }
    }

    package func forgetChanges(through id: Int64) throws(PartnerError) {
        try withDatabase { database throws(SQLiteError) in
            try database.prepare("DELETE FROM change_log WHERE id <= ?").run([.integer(id)])
        }
    }

    package func clinicBooking(rowID: Int64) throws(PartnerError) -> ClinicBooking? {
        try selectBookings("id = ?", [.integer(rowID)]).first
    }

    package func clinicBookings(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [ClinicBooking] {
        try selectBookings(
            "doctor_id = ? AND address_id = ? AND coalesce(start_ts, unixepoch(start_at)) >= ? AND coalesce(start_ts, unixepoch(start_at)) < ?",
            [
                .text(calendar.doctorID), .text(calendar.addressID), .real(from.timeIntervalSince1970),
                .real(to.timeIntervalSince1970),
            ])
    }

    private func selectBookings(_ condition: String, _ values: [StatementValue]) throws(PartnerError) -> [ClinicBooking]
    {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(
                """
                SELECT id, docplanner_booking_id, facility_id, doctor_id, address_id,
                    coalesce(start_ts, unixepoch(start_at)), coalesce(end_ts, unixepoch(end_at)),
                    coalesce(address_service_id, service_id), patient_name, patient_surname, patient_email,
                    patient_phone, comment, status, confirmed, presence, synced_status, synced_start_ts,
                    synced_confirmed, synced_presence
                FROM bookings WHERE \(condition) ORDER BY id
                """)
            try s.bind(values)
            defer { s.reset() }
            var rows: [ClinicBooking] = []
            while try s.step() {
                let patient = PartnerPatient(name: s.text(8), surname: s.text(9), email: s.text(10), phone: s.text(11))
                rows.append(
                    ClinicBooking(
                        rowID: s.int64(0), docplannerID: s.text(1),
                        calendar: CalendarRef(
                            facilityID: s.text(2) ?? "", doctorID: s.text(3) ?? "", addressID: s.text(4) ?? ""),
                        start: s.isNull(5) ? nil : Date(timeIntervalSince1970: s.double(5)),
                        end: s.isNull(6) ? nil : Date(timeIntervalSince1970: s.double(6)),
                        addressServiceID: s.text(7), patient: patient == PartnerPatient() ? nil : patient,
                        comment: s.text(12),
                        status: PartnerBooking.Status(rawValue: s.text(13) ?? "") ?? .booked, confirmed: s.int(14) != 0,
                        presence: s.text(15), syncedStatus: s.text(16).flatMap(PartnerBooking.Status.init(rawValue:)),
                        syncedStart: s.isNull(17) ? nil : Date(timeIntervalSince1970: s.double(17)),
                        syncedConfirmed: s.int(18) != 0, syncedPresence: s.text(19)))
            }
            return rows
        }
    }

    package func recordBookingSynced(rowID: Int64, _ state: BookingSyncState) throws(PartnerError) {
        try asDPBridge { database throws(SQLiteError) in
            try database.prepare(
                """
                UPDATE bookings SET docplanner_booking_id = ?, synced_status = ?, synced_start_ts = ?,
                    synced_confirmed = ?, synced_presence = ? WHERE id = ?
                """
            ).run([
                .text(state.docplannerID), .text(state.status.rawValue),
                state.start.map { .real($0.timeIntervalSince1970) } ?? .null, .integer(state.confirmed ? 1 : 0),
                state.presence.map { .text($0) } ?? .null, .integer(rowID),
            ])
        }
    }

    package func recordBookingAttempt(rowID: Int64, start: Date) throws(PartnerError) {
        try asDPBridge { database throws(SQLiteError) in
            try database.prepare(
                "UPDATE bookings SET synced_start_ts = ? WHERE id = ? AND docplanner_booking_id IS NULL"
            ).run([.real(start.timeIntervalSince1970), .integer(rowID)])
        }
    }

    package func clinicBreak(rowID: Int64) throws(PartnerError) -> ClinicBreak? {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(
                """
                SELECT docplanner_break_id, facility_id, doctor_id, address_id,
                    coalesce(since_ts, unixepoch(since)), coalesce(till_ts, unixepoch(till)),
                    deleted, synced_since_ts, synced_till_ts, synced_deleted
                FROM breaks WHERE id = ?
                """)
            try s.bind([.integer(rowID)])
            defer { s.reset() }
            guard try s.step() else { return nil }
            func date(_ column: Int32) -> Date? {
                s.isNull(column) ? nil : Date(timeIntervalSince1970: s.double(column))
            }
            return ClinicBreak(
                rowID: rowID, docplannerID: s.text(0),
                calendar: CalendarRef(
                    facilityID: s.text(1) ?? "", doctorID: s.text(2) ?? "", addressID: s.text(3) ?? ""),
                since: date(4), till: date(5), deleted: s.int(6) != 0, syncedSince: date(7), syncedTill: date(8),
                syncedDeleted: s.int(9) != 0)
        }
    }

    package func clinicBreakRows(_ calendar: CalendarRef, from: Date, to: Date) throws(PartnerError) -> [Int64] {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(
                """
                SELECT id FROM breaks WHERE doctor_id = ? AND address_id = ?
                    AND coalesce(till_ts, unixepoch(till)) > ? AND coalesce(since_ts, unixepoch(since)) < ? ORDER BY id
                """)
            try s.bind([
                .text(calendar.doctorID), .text(calendar.addressID), .real(from.timeIntervalSince1970),
                .real(to.timeIntervalSince1970),
            ])
            defer { s.reset() }
            var rows: [Int64] = []
            while try s.step() { rows.append(s.int64(0)) }
            return rows
        }
    }

    package func recordBreakSynced(rowID: Int64, docplannerID: String?, since: Date?, till: Date?, deleted: Bool)
        throws(PartnerError)
    {
        try asDPBridge { database throws(SQLiteError) in
            try database.prepare(
                """
                UPDATE breaks SET docplanner_break_id = coalesce(?, docplanner_break_id), synced_since_ts = ?,
                    synced_till_ts = ?, synced_deleted = ? WHERE id = ?
                """
            ).run([
                docplannerID.map { .text($0) } ?? .null, since.map { .real($0.timeIntervalSince1970) } ?? .null,
                till.map { .real($0.timeIntervalSince1970) } ?? .null, .integer(deleted ? 1 : 0), .integer(rowID),
            ])
        }
    }

    package func knownCalendars() throws(PartnerError) -> [CalendarRef] {
        try selectCalendars(
            """
            SELECT facility_id, doctor_id, address_id FROM bookings
            UNION SELECT facility_id, doctor_id, address_id FROM breaks
            UNION SELECT facility_id, doctor_id, address_id FROM working_hours
            UNION SELECT facility_id, doctor_id, address_id FROM day_slots
            UNION SELECT facility_id, doctor_id, address_id FROM addresses
            ORDER BY 2, 3
            """)
    }

    package func calendarsWithAvailability() throws(PartnerError) -> [CalendarRef] {
        try selectCalendars(
            """
            SELECT facility_id, doctor_id, address_id FROM working_hours
            UNION SELECT facility_id, doctor_id, address_id FROM day_slots
            UNION SELECT facility_id, doctor_id, address_id FROM dpbridge_slot_days
                WHERE (doctor_id, address_id) NOT IN (SELECT doctor_id, address_id FROM working_hours
                                                     UNION SELECT doctor_id, address_id FROM day_slots)
            ORDER BY 2, 3
            """)
    }

    private func selectCalendars(_ sql: String) throws(PartnerError) -> [CalendarRef] {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(sql)
            defer { s.reset() }
            var calendars: [CalendarRef] = []
            while try s.step() {
                calendars.append(
                    CalendarRef(facilityID: s.text(0) ?? "", doctorID: s.text(1) ?? "", addressID: s.text(2) ?? ""))
            }
            return calendars
        }
    }

    package func availability(_ calendar: CalendarRef, days: [String], timeZone: TimeZone) throws(PartnerError)
        -> [String: [AvailabilityWindow]]
    {
        guard let first = days.min(), let last = days.max() else { return [:] }
        struct Row {
            var weekday: Int
            var start: String
            var end: String
            var service: String
            var duration: Int
            var from: String?
            var until: String?
        }
        let (weekly, explicit) = try withDatabase { database throws(SQLiteError) -> ([Row], [String: [Row]]) in
            let hours = try database.prepare(
                """
                SELECT weekday, start_time, end_time, address_service_id, duration, valid_from, valid_until
                FROM working_hours WHERE doctor_id = ? AND address_id = ?
                """)
            try hours.bind([.text(calendar.doctorID), .text(calendar.addressID)])
            defer { hours.reset() }
            var weekly: [Row] = []
            while try hours.step() {
                weekly.append(
                    Row(
                        weekday: hours.int(0), start: hours.text(1) ?? "", end: hours.text(2) ?? "",
                        service: hours.text(3) ?? "", duration: hours.int(4), from: hours.text(5), until: hours.text(6))
                )
            }
            let slots = try database.prepare(
                """
                SELECT day, start_time, end_time, address_service_id, duration FROM day_slots
                WHERE doctor_id = ? AND address_id = ? AND day BETWEEN ? AND ?
                """)
            try slots.bind([.text(calendar.doctorID), .text(calendar.addressID), .text(first), .text(last)])
            defer { slots.reset() }
            var explicit: [String: [Row]] = [:]
            while try slots.step() {
                explicit[slots.text(0) ?? "", default: []].append(
                    Row(
                        weekday: 0, start: slots.text(1) ?? "", end: slots.text(2) ?? "", service: slots.text(3) ?? "",
                        duration: slots.int(4), from: nil, until: nil))
            }
            return (weekly, explicit)
        }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        var result: [String: [AvailabilityWindow]] = [:]
        for day in days {
            guard let midnight = Self.midnight(of: day, in: gregorian) else { continue }
            let isoWeekday = (gregorian.component(.weekday, from: midnight) + 5) % 7 + 1
            let rows =
                explicit[day]
                ?? weekly.filter {
                    $0.weekday == isoWeekday && ($0.from.map { $0 <= day } ?? true)
                        && ($0.until.map { day <= $0 } ?? true)
                }
            var windows: [String: AvailabilityWindow] = [:]
            for row in rows where !row.service.isEmpty && row.duration > 0 {
                guard let start = Self.time(row.start, on: midnight, in: gregorian),
                    let end = Self.time(row.end, on: midnight, in: gregorian), end > start
                else { continue }
                let key = "\(row.start)-\(row.end)"
                windows[key, default: AvailabilityWindow(start: start, end: end, services: [])].services.append(
                    .init(addressServiceID: row.service, duration: row.duration))
            }
            guard !windows.isEmpty else { continue }
            result[day] = windows.values
                .map { AvailabilityWindow(start: $0.start, end: $0.end, services: $0.services.sorted()) }
                .sorted { $0.start < $1.start }
        }
        return result
    }

    package func slotSignatures(_ calendar: CalendarRef) throws(PartnerError) -> [String: String] {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(
                "SELECT day, signature FROM dpbridge_slot_days WHERE doctor_id = ? AND address_id = ?")
            try s.bind([.text(calendar.doctorID), .text(calendar.addressID)])
            defer { s.reset() }
            var signatures: [String: String] = [:]
            while try s.step() { signatures[s.text(0) ?? ""] = s.text(1) ?? "" }
            return signatures
        }
    }

    package func recordSlotSignatures(_ calendar: CalendarRef, _ signatures: [String: String]) throws(PartnerError) {
        try asDPBridge { database throws(SQLiteError) in
            for (day, signature) in signatures {
                if signature.isEmpty {
                    try database.prepare(
                        "DELETE FROM dpbridge_slot_days WHERE doctor_id = ? AND address_id = ? AND day = ?"
                    )
                    .run([.text(calendar.doctorID), .text(calendar.addressID), .text(day)])
                } else {
                    try database.prepare(
                        """
                        INSERT INTO dpbridge_slot_days (facility_id, doctor_id, address_id, day, signature)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (doctor_id, address_id, day)
                        DO UPDATE SET facility_id = excluded.facility_id, signature = excluded.signature
                        """
                    ).run([
                        .text(calendar.facilityID), .text(calendar.doctorID), .text(calendar.addressID), .text(day),
                        .text(signature),
                    ])
                }
            }
        }
    }

    package func recordSlotSent(_ calendar: CalendarRef, day: String, signature: String, sent: String, at: Date)
        throws(PartnerError)
    {
        try asDPBridge { database throws(SQLiteError) in
            try database.prepare(
                """
                INSERT INTO dpbridge_slot_days (facility_id, doctor_id, address_id, day, signature)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (doctor_id, address_id, day)
                DO UPDATE SET facility_id = excluded.facility_id, signature = excluded.signature
                """
            ).run([
                .text(calendar.facilityID), .text(calendar.doctorID), .text(calendar.addressID), .text(day),
                .text(signature),
            ])
            try database.prepare(
                "INSERT INTO dpbridge_slot_sends (doctor_id, address_id, day, signature, sent_at) VALUES (?, ?, ?, ?, ?)"
            ).run([
                .text(calendar.doctorID), .text(calendar.addressID), .text(day), .text(sent),
                .real(at.timeIntervalSince1970),
            ])
            // Kept an hour: only the last few minutes matter.
            try database.prepare("DELETE FROM dpbridge_slot_sends WHERE sent_at < ?")
                .run([.real(at.timeIntervalSince1970 - 3600)])
        }
    }

    package func slotSends(_ calendar: CalendarRef, since: Date) throws(PartnerError) -> [SlotSend] {
        try withDatabase { database throws(SQLiteError) in
            let s = try database.prepare(
                """
                SELECT day, signature, sent_at FROM dpbridge_slot_sends
                WHERE doctor_id = ? AND address_id = ? AND sent_at >= ? ORDER BY sent_at
                """)
            try s.bind([.text(calendar.doctorID), .text(calendar.addressID), .real(since.timeIntervalSince1970)])
            defer { s.reset() }
            var sends: [SlotSend] = []
            while try s.step() {
                sends.append(
                    SlotSend(
                        day: s.text(0) ?? "", signature: s.text(1) ?? "",
                        sentAt: Date(timeIntervalSince1970: s.double(2))))
            }
            return sends
        }
    }

    // MARK: - Helpers

    /// Runs `body` in a transaction marked as dpbridge's own (not captured by the triggers).
    func asDPBridge(_ body: (any SQLConnection) throws(SQLiteError) -> Void) throws(PartnerError) {
        try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) in
                try database.execute("UPDATE dpbridge_session SET applying = 1")
                try body(database)
                try database.execute("UPDATE dpbridge_session SET applying = 0")
            }
        }
    }

    static func midnight(of day: String, in calendar: Calendar) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// `HH:MM` on the day starting at `midnight` (24:00 is the next midnight).
    static func time(_ text: String, on midnight: Date, in calendar: Calendar) -> Date? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        if parts[0] == 24 {
            return parts[1] == 0 ? calendar.date(byAdding: .day, value: 1, to: midnight) : nil
        }
        return calendar.date(bySettingHour: parts[0], minute: parts[1], second: 0, of: midnight)
    }
}
