import Foundation
import Store

/// One line of `dpbridge queue list` / `deadletters list`.
public struct JobSummary: Codable, Sendable, Equatable {
    public var queue: QueueName
    public var id: Int64
    public var state: JobState
    /// The event name (inbox) or the Docplanner call (outbox).
    public var kind: String
    public var attempts: Int
    public var createdAt: Date
    /// When a waiting job is due; null when due at once (or not waiting).
    public var dueAt: Date?
    /// When it was done or became a dead letter.
    public var finishedAt: Date?
    /// The last failure; a dead letter's reason.
    public var lastError: String?

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

    public func encode(to encoder: any Encoder) throws {
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
public struct JobList: Codable, Sendable, Equatable {
    public var daemon: DaemonState
    public var tenant: String
    /// Jobs matching the filter, including those beyond the limit.
    public var total: Int
    public var jobs: [JobSummary]
}

/// `dpbridge queue show`: everything stored about one job.
public struct JobDetail: Codable, Sendable, Equatable {
    public var daemon: DaemonState
    public var tenant: String
    public var queue: QueueName
    public var id: Int64
    public var state: JobState
    public var kind: String
    /// The dedup key: the event's identity (inbox) or the change's (outbox).
    public var key: String
    /// Jobs with the same ordering key run one at a time, in order.
    public var orderingKey: String?
    public var coalesceKey: String?
    public var priority: Int
    /// The client address an inbox event came from.
    public var source: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var dueAt: Date?
    /// Until when a worker holds it (in flight).
    public var leaseUntil: Date?
    public var finishedAt: Date?
    /// The stored body (JSON for every job dpbridge makes), as UTF-8 text; patient fields
    /// redacted unless asked for (`PatientRedaction`).
    public var payload: String

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

    public func encode(to encoder: any Encoder) throws {
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
public struct JobReference: Codable, Sendable, Equatable, Hashable {
    public var queue: QueueName
    public var id: Int64
}

/// `dpbridge queue retry`: the job and the state it was in and is in now.
public struct RetryReport: Codable, Sendable, Equatable {
    public var daemon: DaemonState
    public var tenant: String
    public var queue: QueueName
    public var id: Int64
    public var previousState: JobState
    /// `pending` or `retrying`, due now.
    public var state: JobState
}

/// `queue purge`, `deadletters replay` and `deadletters purge`: what was changed.
public struct ChangeReport: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        case purged, replayed
    }

    public var daemon: DaemonState
    public var tenant: String
    public var action: Action
    public var count: Int
    public var jobs: [JobReference]
}
