import SQLite

/// Erasing one patient's data on request (GDPR art. 17) from the calendar (the embedded
/// file, or the HTTP adapter's mirror).
extension EmbeddedPartner {
    /// Blanks the patient's fields (`patient_name`, `patient_surname`, `patient_email`,
    /// `patient_phone`) and the visit's `comment` in every booking whose phone or e-mail
    /// is theirs (`isPatient` says whether a stored phone or address is), when `apply` is set; returns how many bookings (would) change. The rows
    /// stay, so the schedule keeps its visits; the change is dpbridge's own (not sent to
    /// Docplanner) but moves `updated_at`, so clinic software reading changes sees it.
    /// The old values are overwritten on disk (`secure_delete`, then the write-ahead log
    /// is emptied).
    package func erasePatient(where isPatient: (String) -> Bool, apply: Bool) throws(PartnerError) -> Int {
        try withDatabase { database throws(SQLiteError) -> Int in
            let select = try database.prepare(
                "SELECT id, patient_phone, patient_email FROM bookings WHERE patient_phone IS NOT NULL OR patient_email IS NOT NULL"
            )
            var ids: [Int64] = []
            while try select.step() {
                if isPatient(select.text(1) ?? "") || isPatient(select.text(2) ?? "") {
                    ids.append(select.int64(0))
                }
            }
            select.reset()
            guard apply, !ids.isEmpty else { return ids.count }
            let sqlite = database.dialect == .sqlite
            if sqlite { try database.execute("PRAGMA secure_delete = ON") }
            try database.transaction { () throws(SQLiteError) in
                try database.execute("UPDATE dpbridge_session SET applying = 1")
                let blank = try database.prepare(
                    """
                    UPDATE bookings SET patient_name = NULL, patient_surname = NULL, patient_email = NULL,
                        patient_phone = NULL, comment = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                    WHERE id = ?
                    """)
                for id in ids { try blank.run([.integer(id)]) }
                try database.execute("UPDATE dpbridge_session SET applying = 0")
            }
            if sqlite { try database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
            return ids.count
        }
    }
}
