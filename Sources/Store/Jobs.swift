import Foundation
import SQLite

/// An event from Docplanner to store in the inbox.
package struct InboxItem: Sendable {
    package var body: [UInt8]
    package var receivedAt: Date
    package var sourceAddress: String
    /// Identifies the event; the same key enqueued again is recognised as a duplicate.
    package var dedupKey: String
    package var eventName: String
    /// Jobs with the same ordering key (a booking) are applied one at a time, in order.
    package var orderingKey: String?

    package init(
        body: [UInt8], receivedAt: Date = SteadyClock().date(), sourceAddress: String = "", dedupKey: String,
        eventName: String,
        orderingKey: String? = nil
    ) {
        self.body = body
        self.receivedAt = receivedAt
        self.sourceAddress = sourceAddress
        self.dedupKey = dedupKey
        self.eventName = eventName
        self.orderingKey = orderingKey
    }
}

/// A change for Docplanner to store in the outbox.
package struct OutboxItem: Sendable {
    package var kind: String
    package var payload: [UInt8]
    package var dedupKey: String
    package var orderingKey: String?
    /// A newer pending job with the same coalescing key replaces an older one not yet started.
    package var coalesceKey: String?
    /// Lower runs first (bookings before breaks before slot feeds).
    package var priority: Int

    package init(
        kind: String, payload: [UInt8], dedupKey: String = UUID().uuidString, orderingKey: String? = nil,
        coalesceKey: String? = nil, priority: Int = 0
    ) {
        self.kind = kind
        self.payload = payload
        self.dedupKey = dedupKey
        self.orderingKey = orderingKey
        self.coalesceKey = coalesceKey
        self.priority = priority
    }
}

/// A job as an enqueue writes it, whatever the store: the columns it sets.
package struct QueueRow: Sendable {
    package var kind: String
    package var payload: [UInt8]
    package var dedupKey: String
    package var orderingKey: String?
    package var coalesceKey: String?
    package var priority: Int
    package var source: String
    /// Seconds since 1970.
    package var createdAt: Double

    /// An event from Docplanner, as received.
    package init(_ item: InboxItem) {
        kind = item.eventName
        payload = item.body
        dedupKey = item.dedupKey
        orderingKey = item.orderingKey
        coalesceKey = nil
        priority = 0
        source = item.sourceAddress
        createdAt = item.receivedAt.timeIntervalSince1970
    }

    /// A change for Docplanner, stored at `createdAt`.
    package init(_ item: OutboxItem, createdAt: Double) {
        kind = item.kind
        payload = item.payload
        dedupKey = item.dedupKey
        orderingKey = item.orderingKey
        coalesceKey = item.coalesceKey
        priority = item.priority
        source = ""
        self.createdAt = createdAt
    }
}

/// The result of an enqueue, known once it is durable.
package struct EnqueueOutcome: Sendable, Equatable {
    /// The job's id (the existing job's id for a duplicate).
    package let id: Int64
    /// True when a job with the same dedup key was already stored; nothing new was written.
    package let isDuplicate: Bool
    /// How many pending jobs with the same coalescing key this one replaced.
    package let replaced: Int

    package init(id: Int64, isDuplicate: Bool, replaced: Int) {
        self.id = id
        self.isDuplicate = isDuplicate
        self.replaced = replaced
    }
}

/// A job handed to a worker, with the lease that lets it report the outcome.
package struct Job: Sendable, Equatable {
    package let id: Int64
    package let kind: String
    package let payload: [UInt8]
    package let dedupKey: String
    package let orderingKey: String?
    package let source: String
    package let createdAt: Date
    /// Attempts before this one.
    package let attempts: Int
    /// Identifies this claim; outcomes reported with an outdated lease are ignored.
    package let leaseToken: String

    package init(
        id: Int64, kind: String, payload: [UInt8], dedupKey: String, orderingKey: String?, source: String,
        createdAt: Date, attempts: Int, leaseToken: String
    ) {
        self.id = id
        self.kind = kind
        self.payload = payload
        self.dedupKey = dedupKey
        self.orderingKey = orderingKey
        self.source = source
        self.createdAt = createdAt
        self.attempts = attempts
        self.leaseToken = leaseToken
    }
}

/// A job that failed permanently, kept for an operator to inspect, replay or purge.
package struct DeadLetter: Sendable, Equatable, Codable {
    package let id: Int64
    package let kind: String
    package let dedupKey: String
    package let attempts: Int
    package let reason: String
    package let createdAt: Date
    package let failedAt: Date
    package let payload: String
}

/// How many jobs are in each state.
package struct StoreCounts: Sendable, Equatable {
    package struct Queue: Sendable, Equatable, Codable {
        package var pending = 0
        package var inFlight = 0
        package var retrying = 0
        package var dead = 0
        package var done = 0
        /// Age in seconds of the oldest job waiting (pending or retrying), 0 when none.
        package var oldestPendingAgeSeconds = 0.0

        package init() {}
    }

    package var inbox = Queue()
    package var outbox = Queue()
    package var quarantined = 0
}

/// What `RetryPolicy.afterFailure` decides.
package enum RetryDecision: Sendable, Equatable {
    /// Due again then (seconds since 1970).
    case due(Double)
    /// Given up: a dead letter, with this reason.
    case dead(reason: String)
}

/// The condition under which a job of `table` (its rows aliased `j`) may be claimed at the
/// time the parameter `now` holds (`?1` in SQLite, `$1` in PostgreSQL): pending or due for
/// retry, or held by a lease that ran out; and no earlier job with its ordering key
/// unfinished, nor a later one of that key held. The one rule of every queue, whatever its store.
/// Its first term, implied by the rest, names the unfinished rows as the partial index
/// `<table>_unfinished (priority, id)` does, so a claim walks that index in its order and
/// stops at its limit instead of sorting every pending row (a backlog made each claim read
/// it all).
package func claimableCondition(table: String, now: String, dialect: SQLDialect) -> String {
    let unfinished = unfinishedStates(dialect)
    return """
        j.state \(unfinished)
        AND ((j.state IN ('pending', 'retry') AND j.not_before <= \(now))
               OR (j.state = 'inflight' AND j.lease_until <= \(now)))
          AND (j.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM \(table) AS e WHERE e.ordering_key = j.ordering_key AND e.id <> j.id
                  AND ((e.id < j.id AND e.state \(unfinished))
                       OR (e.state = 'inflight' AND e.lease_until > \(now)))))
        """
}

/// The condition on `state` of an unfinished job (pending, retrying or in flight), as each
/// database's partial index of those jobs spells it, so that a claim can walk that index:
/// on SQLite the two finished states (store migration 7: a list of three values is a
/// temporary table built on every run), on PostgreSQL the three others.
func unfinishedStates(_ dialect: SQLDialect) -> String {
    dialect == .sqlite ? "NOT IN ('done', 'dead')" : "IN ('pending', 'retry', 'inflight')"
}

/// How retries back off.
package struct RetryPolicy: Sendable, Equatable {
    package var maxAttempts: Int
    package var initialDelay: Double
    package var maxDelay: Double

    package init(maxAttempts: Int = 12, initialDelay: Double = 2, maxDelay: Double = 900) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// Where a job goes once its attempt number `attempt` failed with `error`: due again at
    /// the backoff (or `notBefore`, when later), or a dead letter when that was the last
    /// attempt allowed. The one rule of every queue, whatever its store.
    package func afterFailure(attempt: Int, error: String, now: Double, notBefore: Date?) -> RetryDecision {
        guard attempt < maxAttempts else { return .dead(reason: "gave up after \(attempt) attempts: \(error)") }
        return .due(max(now + delay(afterAttempt: attempt), notBefore?.timeIntervalSince1970 ?? 0))
    }

    /// The delay before attempt `attempt + 1` after `attempt` failures: exponential,
    /// capped, with "equal jitter" (between half and all of the exponential delay).
    package func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        let exponent = min(max(attempt - 1, 0), 40)
        let base = min(initialDelay * pow(2, Double(exponent)), maxDelay)
        return base / 2 + base / 2 * random
    }
}
