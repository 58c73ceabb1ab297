import Foundation
import Store

/// What `dpbridge status` shows and the admin listener's `GET /status` answers: the
/// daemon's state, Docplanner's pings, the queues, the OAuth token and the rate-limit
/// headroom. A stopped daemon's report holds what its store knows (the `running`-only
/// fields are null). Every key is always present, null when unknown.
public struct StatusReport: Codable, Sendable, Equatable {
    /// Writes and reads left in Docplanner's current windows.
    public struct RateLimits: Codable, Sendable, Equatable {
        public var writesLeft: Int
        public var writesPerMinute: Int
        public var readsLeft: Int
        public var readsPerHour: Int
    }

    /// Docplanner's published source addresses (`callback.use_docplanner_ips`).
    public struct PublishedList: Codable, Sendable, Equatable {
        public var loaded: Bool
        public var addresses: Int
        public var fetchedAt: Date?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(loaded, forKey: .loaded)
            try container.encode(addresses, forKey: .addresses)
            try container.encode(fetchedAt, forKey: .fetchedAt)
        }
    }

    /// `running` or `stopped`.
    public var daemon: DaemonState
    public var tenant: String
    /// The version of the dpbridge that answered (the daemon's, or this command's when stopped).
    public var version: String
    public var store: String
    public var uptimeSeconds: Int?
    public var acceptingEvents: Bool
    public var lastPing: Date?
    public var lastPingAgeSeconds: Int?
    /// `callback.ping_alert_minutes`; null in PULL mode (no pings expected).
    public var pingAlertMinutes: Int?
    /// Set when Docplanner's pings have stopped for `pingAlertMinutes`.
    public var pingWarning: String?
    public var inbox: StoreCounts.Queue
    public var outbox: StoreCounts.Queue
    /// Both queues together.
    public var pending: Int
    public var retrying: Int
    public var inFlight: Int
    public var deadLetters: Int
    /// Age of the oldest job waiting in either queue, 0 when none.
    public var oldestPendingAgeSeconds: Double
    public var quarantined: Int
    /// When the cached OAuth token expires; null when none is cached (or stopped).
    public var oauthTokenExpiresAt: Date?
    public var rateLimits: RateLimits?
    /// Who may post to the callback URL (`CallbackSourcePolicy.summary`).
    public var callbackSources: String?
    public var docplannerIPs: PublishedList?
    /// Discovered resources and their mappings (`dpbridge map`); `vanishedMapped` counts
    /// mappings whose Docplanner resource is gone.
    public var mapping = MappingSummary()

    /// The counts part, from the store.
    init(daemon: DaemonState, tenant: String, store: String, counts: StoreCounts) {
        self.daemon = daemon
        self.tenant = tenant
        version = DaemonVersion.current
        self.store = store
        acceptingEvents = false
        inbox = counts.inbox
        outbox = counts.outbox
        pending = counts.inbox.pending + counts.outbox.pending
        retrying = counts.inbox.retrying + counts.outbox.retrying
        inFlight = counts.inbox.inFlight + counts.outbox.inFlight
        deadLetters = counts.inbox.dead + counts.outbox.dead
        oldestPendingAgeSeconds = max(counts.inbox.oldestPendingAgeSeconds, counts.outbox.oldestPendingAgeSeconds)
        quarantined = counts.quarantined
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(daemon, forKey: .daemon)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(version, forKey: .version)
        try container.encode(store, forKey: .store)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(acceptingEvents, forKey: .acceptingEvents)
        try container.encode(lastPing, forKey: .lastPing)
        try container.encode(lastPingAgeSeconds, forKey: .lastPingAgeSeconds)
        try container.encode(pingAlertMinutes, forKey: .pingAlertMinutes)
        try container.encode(pingWarning, forKey: .pingWarning)
        try container.encode(inbox, forKey: .inbox)
        try container.encode(outbox, forKey: .outbox)
        try container.encode(pending, forKey: .pending)
        try container.encode(retrying, forKey: .retrying)
        try container.encode(inFlight, forKey: .inFlight)
        try container.encode(deadLetters, forKey: .deadLetters)
        try container.encode(oldestPendingAgeSeconds, forKey: .oldestPendingAgeSeconds)
        try container.encode(quarantined, forKey: .quarantined)
        try container.encode(oauthTokenExpiresAt, forKey: .oauthTokenExpiresAt)
        try container.encode(rateLimits, forKey: .rateLimits)
        try container.encode(callbackSources, forKey: .callbackSources)
        try container.encode(docplannerIPs, forKey: .docplannerIPs)
        try container.encode(mapping, forKey: .mapping)
    }
}
