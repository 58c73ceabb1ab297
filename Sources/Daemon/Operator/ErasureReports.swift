import Store

/// `dpbridge erase`: whose data to erase, and whether to (`apply`) or only count (a dry run).
package struct ErasureRequest: Codable, Sendable, Equatable {
    package var phones: [String]
    package var emails: [String]
    package var apply: Bool

    package init(phones: [String], emails: [String], apply: Bool) throws(OperatorError) {
        self.phones = phones
        self.emails = emails
        self.apply = apply
        _ = try matcher()
    }

    /// Missing keys take their defaults.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phones = try container.decodeIfPresent([String].self, forKey: .phones) ?? []
        emails = try container.decodeIfPresent([String].self, forKey: .emails) ?? []
        apply = try container.decodeIfPresent(Bool.self, forKey: .apply) ?? false
    }

    /// What finds the patient; refuses identifiers that could match anyone.
    func matcher() throws(OperatorError) -> PatientMatcher {
        do {
            return try PatientMatcher(phones: phones, emails: emails)
        } catch {
            throw .badArguments(error.description)
        }
    }
}

/// What `dpbridge erase` found, and erased unless it was a dry run. Decisions hold no
/// patient data, so they are not searched.
package struct ErasureReport: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    /// False: a dry run, nothing was changed.
    package var erased: Bool
    /// Inbox jobs whose payload held the patient: redacted, the jobs kept.
    package var inboxJobs: Int
    /// Outbox jobs likewise.
    package var outboxJobs: Int
    /// Quarantined bodies holding the patient: deleted.
    package var quarantined: Int
    /// Jobs a worker held: left as they were; erase again when their attempt ended.
    package var inFlight: Int
    /// Bookings in the clinic calendar (or the HTTP adapter's mirror) whose patient
    /// fields and comment were blanked; the visits stay.
    package var bookings: Int
    /// The calendar file searched; null when there is none yet.
    package var calendar: String?

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(daemon, forKey: .daemon)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(erased, forKey: .erased)
        try container.encode(inboxJobs, forKey: .inboxJobs)
        try container.encode(outboxJobs, forKey: .outboxJobs)
        try container.encode(quarantined, forKey: .quarantined)
        try container.encode(inFlight, forKey: .inFlight)
        try container.encode(bookings, forKey: .bookings)
        try container.encode(calendar, forKey: .calendar)
    }
}
