import Foundation

/// Everything stored about one job, for an operator to inspect.
public struct JobRecord: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let state: JobState
    /// Identifies the job's content; the same key enqueued again is a duplicate.
    public let dedupKey: String
    /// Jobs with the same ordering key run one at a time, in order.
    public let orderingKey: String?
    public let coalesceKey: String?
    public let priority: Int
    /// Where an inbox event came from (the client address); empty for the outbox.
    public let source: String
    public let payload: [UInt8]
    /// Attempts made so far.
    public let attempts: Int
    public let lastError: String?
    public let createdAt: Date
    /// When a waiting job is due (nil: at once).
    public let notBefore: Date?
    /// Until when a worker holds an in-flight job.
    public let leaseUntil: Date?
    /// When it was done or became a dead letter.
    public let finishedAt: Date?
}
