import Foundation
import Store

/// What `dpbridge status` shows and the admin listener's `GET /status` answers: the
/// daemon's state, Docplanner's pings, the queues, the OAuth token and the rate-limit
/// headroom. A stopped daemon's report holds what its store knows (the `running`-only
/// fields are null). Every key is always present, null when unknown.
package struct StatusReport: Codable, Sendable, Equatable {
    /// Writes and reads left in Docplanner's current windows.
    package struct RateLimits: Codable, Sendable, Equatable {
        package var writesLeft: Int
        package var writesPerMinute: Int
        package var readsLeft: Int
        package var readsPerHour: Int
    }

    /// Docplanner's published source addresses (`callback.use_docplanner_ips`).
    package struct PublishedList: Codable, Sendable, Equatable {
        package var loaded: Bool
        package var addresses: Int
        package var fetchedAt: Date?

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(loaded, forKey: .loaded)
            try container.encode(addresses, forKey: .addresses)
            try container.encode(fetchedAt, forKey: .fetchedAt)
        }
    }

    /// `running` or `stopped`.
    package var daemon: DaemonState
    package var tenant: String
    /// The version of the dpbridge that answered (the daemon's, or this command's when stopped).
    package var version: String
    package var store: String
    package var uptimeSeconds: Int?
    package var acceptingEvents: Bool
    package var lastPing: Date?
    package var lastPingAgeSeconds: Int?
    /// `callback.ping_alert_minutes`; null in PULL mode (no pings expected).
    package var pingAlertMinutes: Int?
    /// Set when Docplanner's pings have stopped for `pingAlertMinutes`.
    package var pingWarning: String?
    package var inbox: StoreCounts.Queue
    package var outbox: StoreCounts.Queue
    /// Both queues together.
    package var pending: Int
    package var retrying: Int
    package var inFlight: Int
    package var deadLetters: Int
    /// Age of the oldest job waiting in either queue, 0 when none.
    package var oldestPendingAgeSeconds: Double
    package var quarantined: Int
    /// When the cached OAuth token expires; null when none is cached (or stopped).
    package var oauthTokenExpiresAt: Date?
    package var rateLimits: RateLimits?
    /// Who may post to the callback URL (`CallbackSourcePolicy.summary`).
    package var callbackSources: String?
    package var docplannerIPs: PublishedList?
    /// Discovered resources and their mappings (`dpbridge map`); `vanishedMapped` counts
    /// mappings whose Docplanner resource is gone.
    package var mapping = MappingSummary()
    /// On PostgreSQL, which instance runs each singleton part (`release`, `pull`,
    /// `mapping-watch`, `retention`: `host:pid`, or `none`); null with SQLite (one instance
    /// runs them all) or when the database cannot be asked.
    package var singletons: [String: String]?

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

    package func encode(to encoder: any Encoder) throws {
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
        try container.encode(singletons, forKey: .singletons)
    }
}
