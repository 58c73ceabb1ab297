/// How long a worker holds a claimed job before the queue may hand it to another worker.
/// A job's work (and the record of its outcome) must end within its lease, or the job is
/// taken back and done twice.
package enum JobLease {
    /// An inbound job: one Docplanner event applied to the partner system (with the HTTP
    /// adapter, one POST to the partner endpoint, then the mirror's record).
    package static let inboundSeconds = 30
    /// An outbound job: one clinic change sent to Docplanner (a slot feed sends up to 14 days).
    package static let outboundSeconds = 300
}
