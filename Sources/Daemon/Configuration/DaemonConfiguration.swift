import Foundation

/// dpbridge's validated configuration. Built by `ConfigurationLoader`; every value has
/// passed the checks of `ConfigurationSchema`.
package struct DaemonConfiguration: Sendable, Equatable {
    package struct Listener: Sendable, Equatable {
        package var address: String
        package var port: Int
    }

    package struct Admin: Sendable, Equatable {
        package var address: String
        package var port: Int
        /// A unix socket path; when non-empty it replaces address and port.
        package var socketPath: String
        package var token: Secret?
    }

    package struct Callback: Sendable, Equatable {
        package var secret: Secret
        package var apiKeyHeader: String
        package var apiKey: Secret?
        /// Sources allowed to post (empty: any, unless Docplanner's list is used).
        package var allowlist: [CIDRBlock]
        package var useDocplannerIPs: Bool
        /// Peers whose `X-Forwarded-For` names the client.
        package var trustedProxies: [CIDRBlock]
        package var pingAlertMinutes: Int
        package var blockingDeadlineMilliseconds: Int
        package var errorCodes: ErrorCodes
    }

    /// The `error_code`s of denied `slot-booking` / `booking-moving` answers; nil where the
    /// operator configured none.
    package struct ErrorCodes: Sendable, Equatable {
        package var slotTaken: String?
        package var notBookable: String?
        package var unavailable: String?
    }

    package enum Mode: String, Sendable, Equatable {
        case push, pull, both
    }

    package struct Docplanner: Sendable, Equatable {
        package var domain: String
        /// `https://www.<domain>` unless `docplanner.base_url` overrides it.
        package var baseURL: String
        package var clientID: String
        package var clientSecret: Secret
        package var mode: Mode
        package var writeLimitPerMinute: Int
        package var readLimitPerHour: Int
        package var timeoutSeconds: Int
        /// The clinic calendar's zone: the offset of every date sent, and what local
        /// working hours mean.
        package var timeZone: TimeZone
        package var pullMaxIdleSeconds: Int
        package var horizonWeeks: Int
        package var reconcileMinutes: Int
    }

    package enum PartnerAdapter: Sendable, Equatable {
        case embedded(path: String)
        case http(url: String, secret: Secret, timeoutSeconds: Int)
    }

    package struct Workers: Sendable, Equatable {
        package var inbound: Int
        package var outbound: Int
        /// Milliseconds an event waits for others before the inbound workers apply them together.
        package var inboundGatherMilliseconds: Int = 10
        /// Milliseconds a burst of clinic changes settles before it goes to the outbox.
        package var coalesceMilliseconds: Int
    }

    package struct Retry: Sendable, Equatable {
        package var maxAttempts: Int
        package var initialDelaySeconds: Int
        package var maxDelaySeconds: Int
    }

    package struct HTTPLimits: Sendable, Equatable {
        package var maxConnections: Int
        package var maxBodyBytes: Int
        package var maxRequestLineBytes: Int
        package var maxHeaderBytes: Int
        package var maxHeaderFields: Int
        package var headerTimeoutMilliseconds: Int
        package var bodyTimeoutMilliseconds: Int
        package var keepAliveTimeoutMilliseconds: Int
        package var writeTimeoutMilliseconds: Int
    }

    package struct Mapping: Sendable, Equatable {
        /// `mapping.discover_hours`; 0: no periodic discovery.
        package var discoverHours: Int
    }

    /// How long patients' data is kept (`retention.*`).
    package struct Retention: Sendable, Equatable {
        /// Days after which done jobs and decisions are deleted.
        package var days: Int
        /// Days after which quarantined bodies are deleted.
        package var quarantineDays: Int
    }

    /// `store.backend`: one instance's SQLite file, or a PostgreSQL database that several
    /// instances share (each tenant in a schema of its own).
    package enum StoreBackend: Sendable, Equatable {
        case sqlite
        case postgres(url: Secret)
    }

    package struct Log: Sendable, Equatable {
        package var level: String
        package var format: String
    }

    package var publicListener: Listener
    package var admin: Admin
    package var callback: Callback
    package var docplanner: Docplanner
    package var storePath: String
    /// Where the store is: the SQLite file at `storePath`, or PostgreSQL.
    package var storeBackend: StoreBackend = .sqlite
    /// While writes keep coming, milliseconds those after a commit wait for others.
    package var storeCommitDelayMilliseconds: Int = 5
    package var partner: PartnerAdapter
    /// `partner.backend: postgres`: the calendar (or mirror) in the store's PostgreSQL database.
    package var calendarOnPostgres: Bool = false
    package var workers: Workers
    package var retry: Retry
    package var http: HTTPLimits
    package var log: Log
    package var mapping: Mapping
    package var retention: Retention
    /// This clinic's name: `default` for the top level, or its key under `tenants:`.
    package var tenant = "default"
    /// The clinics under `tenants:` (each a whole configuration: its own settings over the
    /// top level's); empty in a tenant's own configuration.
    package var otherTenants: [DaemonConfiguration] = []

    /// Every clinic this daemon serves, the top level's first.
    package var tenants: [DaemonConfiguration] {
        var top = self
        top.otherTenants = []
        return [top] + otherTenants
    }

    /// The file of the clinic calendar dpbridge reads and writes: the embedded calendar,
    /// or the HTTP adapter's mirror beside the store.
    package var calendarPath: String {
        switch partner {
        case .embedded(let path): path
        case .http: DaemonRuntime.mirrorPath(storePath: storePath)
        }
    }

    /// The clinic named `name` (nil: the default one), or nil when there is none.
    package func tenant(named name: String?) -> DaemonConfiguration? {
        tenants.first { $0.tenant == (name ?? "default") }
    }
}

/// A secret value. It prints as `<secret>` so it cannot leak into logs or output by accident;
/// read `.value` where the secret is actually used.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    package let value: String
    package init(_ value: String) { self.value = value }
    package var description: String { "<secret>" }
    package var debugDescription: String { "<secret>" }
}
