import Foundation

/// Everything stored about one job, for an operator to inspect.
package struct JobRecord: Sendable, Equatable {
    package let id: Int64
    package let kind: String
    package let state: JobState
    /// Identifies the job's content; the same key enqueued again is a duplicate.
    package let dedupKey: String
    /// Jobs with the same ordering key run one at a time, in order.
    package let orderingKey: String?
    package let coalesceKey: String?
    package let priority: Int
    /// Where an inbox event came from (the client address); empty for the outbox.
    package let source: String
    package let payload: [UInt8]
    /// Attempts made so far.
    package let attempts: Int
    package let lastError: String?
    package let createdAt: Date
    /// When a waiting job is due (nil: at once).
    package let notBefore: Date?
    /// Until when a worker holds an in-flight job.
    package let leaseUntil: Date?
    /// When it was done or became a dead letter.
    package let finishedAt: Date?
}
