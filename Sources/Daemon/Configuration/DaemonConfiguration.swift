import Foundation

/// dpbridge's validated configuration. Built by `ConfigurationLoader`; every value has
/// passed the checks of `ConfigurationSchema`.
public struct DaemonConfiguration: Sendable, Equatable {
    public struct Listener: Sendable, Equatable {
        public var address: String
        public var port: Int
    }

    public struct Admin: Sendable, Equatable {
        public var address: String
        public var port: Int
        /// A unix socket path; when non-empty it replaces address and port.
        public var socketPath: String
        public var token: Secret?
    }

    public struct Callback: Sendable, Equatable {
        public var secret: Secret
        public var apiKeyHeader: String
        public var apiKey: Secret?
        /// Sources allowed to post (empty: any, unless Docplanner's list is used).
        public var allowlist: [CIDRBlock]
        public var useDocplannerIPs: Bool
        /// Peers whose `X-Forwarded-For` names the client.
        public var trustedProxies: [CIDRBlock]
        public var pingAlertMinutes: Int
        public var blockingDeadlineMilliseconds: Int
        public var errorCodes: ErrorCodes
    }

    /// The `error_code`s of denied `slot-booking` / `booking-moving` answers; nil where the
    /// operator configured none.
    public struct ErrorCodes: Sendable, Equatable {
        public var slotTaken: String?
        public var notBookable: String?
        public var unavailable: String?
    }

    public enum Mode: String, Sendable, Equatable {
        case push, pull, both
    }

    public struct Docplanner: Sendable, Equatable {
        public var domain: String
        /// `https://www.<domain>` unless `docplanner.base_url` overrides it.
        public var baseURL: String
        public var clientID: String
        public var clientSecret: Secret
        public var mode: Mode
        public var writeLimitPerMinute: Int
        public var readLimitPerHour: Int
        public var timeoutSeconds: Int
        /// The clinic calendar's zone: the offset of every date sent, and what local
        /// working hours mean.
        public var timeZone: TimeZone
        public var pullMaxIdleSeconds: Int
        public var horizonWeeks: Int
        public var reconcileMinutes: Int
    }

    public enum PartnerAdapter: Sendable, Equatable {
        case embedded(path: String)
        case http(url: String, secret: Secret, timeoutSeconds: Int)
    }

    public struct Workers: Sendable, Equatable {
        public var inbound: Int
        public var outbound: Int
        /// Milliseconds a burst of clinic changes settles before it goes to the outbox.
        public var coalesceMilliseconds: Int
    }

    public struct Retry: Sendable, Equatable {
        public var maxAttempts: Int
        public var initialDelaySeconds: Int
        public var maxDelaySeconds: Int
    }

    public struct HTTPLimits: Sendable, Equatable {
        public var maxConnections: Int
        public var maxBodyBytes: Int
        public var maxRequestLineBytes: Int
        public var maxHeaderBytes: Int
        public var maxHeaderFields: Int
        public var headerTimeoutMilliseconds: Int
        public var bodyTimeoutMilliseconds: Int
        public var keepAliveTimeoutMilliseconds: Int
        public var writeTimeoutMilliseconds: Int
    }

    public struct Mapping: Sendable, Equatable {
        /// `mapping.discover_hours`; 0: no periodic discovery.
        public var discoverHours: Int
    }

    /// How long patients' data is kept (`retention.*`).
    public struct Retention: Sendable, Equatable {
        /// Days after which done jobs and decisions are deleted.
        public var days: Int
        /// Days after which quarantined bodies are deleted.
        public var quarantineDays: Int
    }

    public struct Log: Sendable, Equatable {
        public var level: String
        public var format: String
    }

    public var publicListener: Listener
    public var admin: Admin
    public var callback: Callback
    public var docplanner: Docplanner
    public var storePath: String
    public var partner: PartnerAdapter
    public var workers: Workers
    public var retry: Retry
    public var http: HTTPLimits
    public var log: Log
    public var mapping: Mapping
    public var retention: Retention
    /// This clinic's name: `default` for the top level, or its key under `tenants:`.
    public var tenant = "default"
    /// The clinics under `tenants:` (each a whole configuration: its own settings over the
    /// top level's); empty in a tenant's own configuration.
    public var otherTenants: [DaemonConfiguration] = []

    /// Every clinic this daemon serves, the top level's first.
    public var tenants: [DaemonConfiguration] {
        var top = self
        top.otherTenants = []
        return [top] + otherTenants
    }

    /// The file of the clinic calendar dpbridge reads and writes: the embedded calendar,
    /// or the HTTP adapter's mirror beside the store.
    public var calendarPath: String {
        switch partner {
        case .embedded(let path): path
        case .http: DaemonRuntime.mirrorPath(storePath: storePath)
        }
    }

    /// The clinic named `name` (nil: the default one), or nil when there is none.
    public func tenant(named name: String?) -> DaemonConfiguration? {
        tenants.first { $0.tenant == (name ?? "default") }
    }
}

/// A secret value. It prints as `<secret>` so it cannot leak into logs or output by accident;
/// read `.value` where the secret is actually used.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}
