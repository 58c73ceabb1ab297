import Foundation
import Store

/// One line of `dpbridge queue list` / `deadletters list`.
package struct JobSummary: Codable, Sendable, Equatable {
    package var queue: QueueName
    package var id: Int64
    package var state: JobState
    /// The event name (inbox) or the Docplanner call (outbox).
    package var kind: String
    package var attempts: Int
    package var createdAt: Date
    /// When a waiting job is due; null when due at once (or not waiting).
    package var dueAt: Date?
    /// When it was done or became a dead letter.
    package var finishedAt: Date?
    /// The last failure; a dead letter's reason.
    package var lastError: String?

    init(_ record: JobRecord, queue: QueueName) {
        self.queue = queue
        id = record.id
        state = record.state
        kind = record.kind
        attempts = record.attempts
        createdAt = record.createdAt
        dueAt = JobSummary.due(record)
        finishedAt = record.finishedAt
        lastError = record.lastError
    }

    /// Only a waiting job has a due time (nil: due at once).
    static func due(_ record: JobRecord) -> Date? {
        record.state == .pending || record.state == .retrying ? record.notBefore : nil
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(queue, forKey: .queue)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(kind, forKey: .kind)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(dueAt, forKey: .dueAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(lastError, forKey: .lastError)
    }
}

/// `dpbridge queue list` / `deadletters list`: the jobs shown (oldest first) and how
/// many matched in all.
package struct JobList: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    /// Jobs matching the filter, including those beyond the limit.
    package var total: Int
    package var jobs: [JobSummary]
}

/// `dpbridge queue show`: everything stored about one job.
package struct JobDetail: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    package var queue: QueueName
    package var id: Int64
    package var state: JobState
    package var kind: String
    /// The dedup key: the event's identity (inbox) or the change's (outbox).
    package var key: String
    /// Jobs with the same ordering key run one at a time, in order.
    package var orderingKey: String?
    package var coalesceKey: String?
    package var priority: Int
    /// The client address an inbox event came from.
    package var source: String
    package var attempts: Int
    package var lastError: String?
    package var createdAt: Date
    package var dueAt: Date?
    /// Until when a worker holds it (in flight).
    package var leaseUntil: Date?
    package var finishedAt: Date?
    /// The stored body (JSON for every job dpbridge makes), as UTF-8 text; patient fields
    /// redacted unless asked for (`PatientRedaction`).
    package var payload: String

    init(_ record: JobRecord, queue: QueueName, daemon: DaemonState, tenant: String, revealPatient: Bool = false) {
        self.daemon = daemon
        self.tenant = tenant
        self.queue = queue
        id = record.id
        state = record.state
        kind = record.kind
        key = record.dedupKey
        orderingKey = record.orderingKey
        coalesceKey = record.coalesceKey
        priority = record.priority
        source = record.source
        attempts = record.attempts
        lastError = record.lastError
        createdAt = record.createdAt
        dueAt = JobSummary.due(record)
        leaseUntil = record.state == .inFlight ? record.leaseUntil : nil
        finishedAt = record.finishedAt
        let text = String(decoding: record.payload, as: UTF8.self)
        payload = revealPatient ? text : PatientRedaction.redact(text)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(daemon, forKey: .daemon)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(queue, forKey: .queue)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(kind, forKey: .kind)
        try container.encode(key, forKey: .key)
        try container.encode(orderingKey, forKey: .orderingKey)
        try container.encode(coalesceKey, forKey: .coalesceKey)
        try container.encode(priority, forKey: .priority)
        try container.encode(source, forKey: .source)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(dueAt, forKey: .dueAt)
        try container.encode(leaseUntil, forKey: .leaseUntil)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(payload, forKey: .payload)
    }
}

/// A job named by queue and id.
package struct JobReference: Codable, Sendable, Equatable, Hashable {
    package var queue: QueueName
    package var id: Int64
}

/// `dpbridge queue retry`: the job and the state it was in and is in now.
package struct RetryReport: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    package var queue: QueueName
    package var id: Int64
    package var previousState: JobState
    /// `pending` or `retrying`, due now.
    package var state: JobState
}

/// `queue purge`, `deadletters replay` and `deadletters purge`: what was changed.
package struct ChangeReport: Codable, Sendable, Equatable {
    package enum Action: String, Codable, Sendable {
        case purged, replayed
    }

    package var daemon: DaemonState
    package var tenant: String
    package var action: Action
    package var count: Int
    package var jobs: [JobReference]
}
