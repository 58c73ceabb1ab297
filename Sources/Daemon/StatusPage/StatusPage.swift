import Foundation
import Store
import Sync

/// What the admin listener's `GET /` shows an operator without Prometheus, for one tenant:
/// Docplanner's pings of the last 24 hours, the queues (the numbers of `/status`), the
/// latest dead letters with their reasons (never payloads; patient values of a job are
/// masked in its reason), mapping coverage per kind and the activation steps as last
/// checked (`ActivationRecord`). Rendered as HTML by `html()`.
struct StatusPage: Sendable {
    /// One dead letter as the page shows it.
    struct DeadLetter: Sendable, Equatable {
        var queue: QueueName
        var id: Int64
        var kind: String
        var attempts: Int
        var failedAt: Date?
        /// The reason, with the job's own patient values masked and at most `reasonLength` characters.
        var reason: String
    }

    /// Dead letters shown, newest first.
    static let deadLetterLimit = 10
    static let reasonLength = 300

    var report: StatusReport
    var strip: PingStrip
    var deadLetters: [DeadLetter]
    var coverage: [(kind: ResourceKind, summary: MappingSummary)]
    var activations: [ActivationRecord]
    /// The zone times are shown in (the clinic's, `docplanner.time_zone`).
    var timeZone: TimeZone
    var now: Date

    /// The page from `report` (the tenant's `/status`), the daemon's `health` and its `store`.
    init(report: StatusReport, health: DaemonHealth, store: Store, timeZone: TimeZone, now: Date) throws(StoreError) {
        self.report = report
        self.timeZone = timeZone
        self.now = now
        strip = PingStrip(
            pings: health.pingHistory.pings, startedAt: health.startedAt, now: now, gapLimit: health.pingSilenceLimit)
        var letters: [DeadLetter] = []
        for name in QueueName.allCases {
            for record in try store.queue(name).latestDeadLetters(limit: Self.deadLetterLimit) {
                letters.append(
                    DeadLetter(
                        queue: name, id: record.id, kind: record.kind, attempts: record.attempts,
                        failedAt: record.finishedAt, reason: Self.reason(record)))
            }
        }
        letters.sort { ($0.failedAt ?? .distantPast, $0.id) > ($1.failedAt ?? .distantPast, $1.id) }
        deadLetters = Array(letters.prefix(Self.deadLetterLimit))
        let byKind = try store.mappings.summaryByKind()
        coverage = ResourceKind.allCases.compactMap { kind in byKind[kind].map { (kind, $0) } }
        activations = try ActivationRecord.all(in: store)
    }

    /// A dead letter's reason fit to show: the job's patient values masked, shortened.
    static func reason(_ record: JobRecord) -> String {
        let text = PatientRedaction.masking(record.lastError ?? "", patientValuesOf: record.payload)
        return text.count > reasonLength ? String(text.prefix(reasonLength)) + "…" : text
    }
}
