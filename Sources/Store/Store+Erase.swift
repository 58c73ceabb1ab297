/// Erasing one patient's data on request (GDPR art. 17): their phone and e-mail, name and
/// comment go from the payloads of the inbox and the outbox, in every state (the jobs
/// stay, so a done event is still recognised when re-sent and a waiting one is still
/// applied, without the patient), and quarantined bodies that hold them are deleted.
/// Decisions hold no patient data. Deleted bytes are overwritten (`secure_delete`).
extension Store {
    /// Finds the patient in the store and, when `apply` is set, erases them; the rows are
    /// read and changed a batch at a time, so workers and callbacks never wait long.
    package func erasePatient(_ matcher: PatientMatcher, apply: Bool) throws(StoreError) -> PatientErasure {
        var erasure = PatientErasure()
        for table in [QueueTable.inbox, .outbox] {
            let (jobs, inFlight) = try eraseFromJobs(table.rawValue, matcher, apply: apply)
            if table == .inbox { erasure.inboxJobs = jobs } else { erasure.outboxJobs = jobs }
            erasure.inFlight += inFlight
        }
        erasure.quarantined = try eraseFromQuarantine(matcher, apply: apply)
        if apply && erasure.total > 0 { try reclaimSpace() }
        return erasure
    }

    private struct Redaction {
        let id: Int64
        let payload: [UInt8]
        let lastError: String?
    }

    /// Redacts the jobs of `table` holding the patient; returns how many were (or would
    /// be) redacted, and how many a worker holds.
    private func eraseFromJobs(_ table: String, _ matcher: PatientMatcher, apply: Bool) throws(StoreError)
        -> (jobs: Int, inFlight: Int)
    {
        var jobs = 0
        var inFlight = 0
        var after: Int64 = 0
        while true {
            let now = clock.now()
            var redactions: [Redaction] = []
            var last: Int64?
            try control.with { database throws(StoreError) in
                let select = try database.prepare(
                    """
                    SELECT id, state = 'inflight' AND lease_until > ?, payload, last_error FROM \(table)
                    WHERE id > ? ORDER BY id LIMIT ?
                    """)
                try select.bind([.real(now), .integer(after), .integer(Int64(Self.retentionBatch))])
                defer { select.reset() }
                while try select.step() {
                    let id = select.int64(0)
                    last = id
                    let payload = select.blob(2)
                    let lastError = select.text(3)
                    let redacted = PayloadRedactor.redact(payload, matcher)
                    let errorHeldPatient = lastError.map { matcher.occurs(in: $0) } ?? false
                    guard redacted != nil || errorHeldPatient else { continue }
                    if select.int(1) != 0 {
                        inFlight += 1
                        continue
                    }
                    redactions.append(
                        Redaction(
                            id: id, payload: redacted ?? payload,
                            lastError: errorHeldPatient
                                ? lastError.map { String(decoding: matcher.masked(Array($0.utf8)), as: UTF8.self) }
                                : lastError))
                }
            }
            guard let last else { return (jobs, inFlight) }
            after = last
            guard apply else {
                jobs += redactions.count
                continue
            }
            try control.with { database throws(StoreError) in
                try database.transaction { () throws(StoreError) in
                    // A job claimed since it was read is left to its worker.
                    let update = try database.prepare(
                        """
                        UPDATE \(table) SET payload = ?, last_error = ?
                        WHERE id = ? AND NOT (state = 'inflight' AND lease_until > ?)
                        """)
                    for redaction in redactions {
                        try update.run([
                            .blob(redaction.payload), redaction.lastError.map { .text($0) } ?? .null,
                            .integer(redaction.id), .real(clock.now()),
                        ])
                        if database.changes == 1 { jobs += 1 } else { inFlight += 1 }
                    }
                }
            }
        }
    }

    /// Deletes the quarantined bodies holding the patient; returns how many.
    private func eraseFromQuarantine(_ matcher: PatientMatcher, apply: Bool) throws(StoreError) -> Int {
        var found = 0
        var after: Int64 = 0
        while true {
            var matching: [Int64] = []
            var last: Int64?
            try control.with { database throws(StoreError) in
                let select = try database.prepare("SELECT id, body FROM quarantine WHERE id > ? ORDER BY id LIMIT ?")
                try select.bind([.integer(after), .integer(Int64(Self.retentionBatch))])
                while try select.step() {
                    last = select.int64(0)
                    if matcher.occurs(in: select.blob(1)) { matching.append(select.int64(0)) }
                }
                select.reset()
                if apply && !matching.isEmpty {
                    try database.transaction { () throws(StoreError) in
                        let delete = try database.prepare("DELETE FROM quarantine WHERE id = ?")
                        for id in matching { try delete.run([.integer(id)]) }
                    }
                }
            }
            found += matching.count
            guard let last else { return found }
            after = last
        }
    }
}
