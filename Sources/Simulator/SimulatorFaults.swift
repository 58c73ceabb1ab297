/// Faults injected into answers of the API (`/api/v3/integration/…`), at random shares
/// (0…1) drawn from a seeded generator, plus an explicit script for the next requests.
package struct SimulatorFaults: Sendable, Equatable, Codable {
    /// One scripted fault, used up by one API request.
    package struct Scripted: Sendable, Equatable, Codable {
        /// Answer with this status (5xx, 429, …) instead of handling the request; 401 treats
        /// the request's token as expired and revokes it.
        package var status: Int?
        /// Seconds for `Retry-After` when `status` is 429.
        package var retryAfter: Int?
        /// Close the connection without answering.
        package var drop: Bool?
        /// Wait this many milliseconds before handling the request.
        package var latencyMilliseconds: Int?

        package init(status: Int? = nil, retryAfter: Int? = nil, drop: Bool? = nil, latencyMilliseconds: Int? = nil) {
            self.status = status
            self.retryAfter = retryAfter
            self.drop = drop
            self.latencyMilliseconds = latencyMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case status
            case retryAfter = "retry_after"
            case drop
            case latencyMilliseconds = "latency_ms"
        }
    }

    /// Share of requests answered 500/502/503.
    package var serverErrorShare: Double
    /// Share of requests answered 429 (with `Retry-After`).
    package var rateLimitShare: Double
    /// Share of connections closed without an answer.
    package var dropShare: Double
    /// Share of requests whose token is treated as expired (401, and the token is revoked).
    package var tokenExpiryShare: Double
    /// Milliseconds added before every answer.
    package var latencyMilliseconds: Int
    /// Seed of the generator that draws the shares (same seed, same faults).
    package var seed: UInt64
    /// Faults for the next API requests, in order, before any share applies.
    package var next: [Scripted]

    package init(
        serverErrorShare: Double = 0, rateLimitShare: Double = 0, dropShare: Double = 0,
        tokenExpiryShare: Double = 0, latencyMilliseconds: Int = 0, seed: UInt64 = 1, next: [Scripted] = []
    ) {
        self.serverErrorShare = serverErrorShare
        self.rateLimitShare = rateLimitShare
        self.dropShare = dropShare
        self.tokenExpiryShare = tokenExpiryShare
        self.latencyMilliseconds = latencyMilliseconds
        self.seed = seed
        self.next = next
    }

    enum CodingKeys: String, CodingKey {
        case serverErrorShare = "server_error_share"
        case rateLimitShare = "rate_limit_share"
        case dropShare = "drop_share"
        case tokenExpiryShare = "token_expiry_share"
        case latencyMilliseconds = "latency_ms"
        case seed, next
    }

    /// Missing members keep their defaults, so `{"server_error_share": 0.1}` is a whole plan.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SimulatorFaults()
        serverErrorShare =
            try container.decodeIfPresent(Double.self, forKey: .serverErrorShare) ?? defaults.serverErrorShare
        rateLimitShare = try container.decodeIfPresent(Double.self, forKey: .rateLimitShare) ?? defaults.rateLimitShare
        dropShare = try container.decodeIfPresent(Double.self, forKey: .dropShare) ?? defaults.dropShare
        tokenExpiryShare =
            try container.decodeIfPresent(Double.self, forKey: .tokenExpiryShare) ?? defaults.tokenExpiryShare
        latencyMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? defaults.latencyMilliseconds
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        next = try container.decodeIfPresent([Scripted].self, forKey: .next) ?? defaults.next
    }

    /// Whether any fault would ever be injected.
    package var isActive: Bool {
        serverErrorShare > 0 || rateLimitShare > 0 || dropShare > 0 || tokenExpiryShare > 0
            || latencyMilliseconds > 0 || !next.isEmpty
    }
}
