/// What erasing one patient found in the store (`Store.erasePatient`): done, or to be
/// done when it was a dry run.
package struct PatientErasure: Sendable, Equatable {
    /// Inbox jobs whose payload (or last error) held the patient: redacted, the jobs kept.
    package var inboxJobs = 0
    /// Outbox jobs likewise (their payloads name rows, so normally none).
    package var outboxJobs = 0
    /// Quarantined bodies holding the patient: deleted.
    package var quarantined = 0
    /// Jobs holding the patient that a worker holds now: left as they are; erase again
    /// once their attempt ended.
    package var inFlight = 0

    package init() {}

    /// Everything found.
    package var total: Int { inboxJobs + outboxJobs + quarantined + inFlight }
}
