import Foundation

/// An event from Docplanner to store in the inbox.
public struct InboxItem: Sendable {
    public var body: [UInt8]
    public var receivedAt: Date
    public var sourceAddress: String
    /// Identifies the event; the same key enqueued again is recognised as a duplicate.
    public var dedupKey: String
    public var eventName: String
    /// Jobs with the same ordering key (a booking) are applied one at a time, in order.
    public var orderingKey: String?

    public init(
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
public struct OutboxItem: Sendable {
    public var kind: String
    public var payload: [UInt8]
    public var dedupKey: String
    public var orderingKey: String?
    /// A newer pending job with the same coalescing key replaces an older one not yet started.
    public var coalesceKey: String?
    /// Lower runs first (bookings before breaks before slot feeds).
    public var priority: Int

    public init(
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

/// The result of an enqueue, known once it is durable.
public struct EnqueueOutcome: Sendable, Equatable {
    /// The job's id (the existing job's id for a duplicate).
    public let id: Int64
    /// True when a job with the same dedup key was already stored; nothing new was written.
    public let isDuplicate: Bool
    /// How many pending jobs with the same coalescing key this one replaced.
    public let replaced: Int
}

/// A job handed to a worker, with the lease that lets it report the outcome.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let payload: [UInt8]
    public let dedupKey: String
    public let orderingKey: String?
    public let source: String
    public let createdAt: Date
    /// Attempts before this one.
    public let attempts: Int
    /// Identifies this claim; outcomes reported with an outdated lease are ignored.
    public let leaseToken: String
}

/// A job that failed permanently, kept for an operator to inspect, replay or purge.
public struct DeadLetter: Sendable, Equatable, Codable {
    public let id: Int64
    public let kind: String
    public let dedupKey: String
    public let attempts: Int
    public let reason: String
    public let createdAt: Date
    public let failedAt: Date
    public let payload: String
}

/// How many jobs are in each state.
public struct StoreCounts: Sendable, Equatable {
    public struct Queue: Sendable, Equatable, Codable {
        public var pending = 0
        public var inFlight = 0
        public var retrying = 0
        public var dead = 0
        public var done = 0
        /// Age in seconds of the oldest job waiting (pending or retrying), 0 when none.
        public var oldestPendingAgeSeconds = 0.0
    }

    public var inbox = Queue()
    public var outbox = Queue()
    public var quarantined = 0
}

/// How retries back off.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var initialDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 12, initialDelay: Double = 2, maxDelay: Double = 900) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The delay before attempt `attempt + 1` after `attempt` failures: exponential,
    /// capped, with "equal jitter" (between half and all of the exponential delay).
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        let exponent = min(max(attempt - 1, 0), 40)
        let base = min(initialDelay * pow(2, Double(exponent)), maxDelay)
        return base / 2 + base / 2 * random
    }
}
