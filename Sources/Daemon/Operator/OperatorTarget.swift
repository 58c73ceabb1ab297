import Foundation
import Partner
import Store

/// Where the operator commands find a tenant's daemon and store. The one place that
/// turns (configuration file, tenant) into (store path, admin endpoint, admin token).
///
/// A configuration has one tenant for now, `default`; the admin API takes the tenant as
/// its `tenant` query parameter so that more can be added without changing the commands.
package struct OperatorTarget: Sendable {
    /// How to reach the daemon's admin listener.
    package enum AdminEndpoint: Sendable, Equatable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)

        /// The URL prefix for requests (`http://127.0.0.1:8081`; for a socket the host is
        /// only the `Host` header).
        var baseURL: String {
            switch self {
            case .tcp(let host, let port): "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            case .unixSocket: "http://localhost"
            }
        }

        package var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unixSocket(let path): path
            }
        }
    }

    /// The tenant every configuration has.
    package static let defaultTenant = "default"

    package let configPath: String
    package let tenant: String
    package let storePath: String
    /// Where the store is (the file at `storePath`, or the tenant's PostgreSQL schema).
    package let storeLocation: StoreLocation
    /// The PostgreSQL server the store is on, for the singleton holders; nil with SQLite.
    let singletonServer: String?
    /// Whether several instances share the store (PostgreSQL): no instance lock then.
    var storeIsShared: Bool { singletonServer != nil }
    /// The clinic calendar's file (the embedded calendar, or the HTTP adapter's mirror).
    package let calendarPath: String
    /// Where the calendar is: that file, or its PostgreSQL schema (`partner.backend`).
    package let calendarLocation: CalendarLocation
    package let admin: AdminEndpoint
    /// Sent as `Authorization: Bearer …` when set (`listen.admin.token`).
    package let adminToken: String?
    /// Minutes without a ping before status warns; nil when none are expected (PULL mode).
    package let pingAlertMinutes: Int?
    /// The retry policy the store is opened with when the daemon is stopped.
    let retryPolicy: RetryPolicy

    /// Loads the configuration at `configPath` and picks `tenant` (nil: the default one).
    package static func resolve(configPath: String, tenant: String?) throws(OperatorError) -> OperatorTarget {
        let loaded: DaemonConfiguration
        switch ConfigurationLoader.loadWaiting(path: configPath) {
        case .success(let result): loaded = result.configuration
        case .failure(let error): throw .configuration(error.problems.map(\.description))
        }
        guard let configuration = loaded.tenant(named: tenant) else {
            throw .unknownTenant(tenant ?? defaultTenant, known: loaded.tenants.map(\.tenant))
        }
        let name = configuration.tenant
        let admin = configuration.admin
        let endpoint: AdminEndpoint =
            admin.socketPath.isEmpty
            ? .tcp(host: connectableHost(admin.address), port: admin.port) : .unixSocket(path: admin.socketPath)
        let retry = configuration.retry
        return OperatorTarget(
            configPath: configPath, tenant: name, storePath: configuration.storePath,
            storeLocation: configuration.storeLocation, singletonServer: configuration.postgresEndpoint?.url,
            calendarPath: configuration.calendarPath, calendarLocation: configuration.calendarLocation,
            admin: endpoint,
            adminToken: admin.token.map(\.value).flatMap { $0.isEmpty ? nil : $0 },
            pingAlertMinutes: configuration.docplanner.mode == .pull ? nil : configuration.callback.pingAlertMinutes,
            retryPolicy: RetryPolicy(
                maxAttempts: retry.maxAttempts, initialDelay: Double(retry.initialDelaySeconds),
                maxDelay: Double(retry.maxDelaySeconds)))
    }

    /// The lock file the daemon holds while it runs (`InstanceLock`).
    package var lockPath: String { storePath + ".lock" }

    /// A listener on every address is reached on loopback.
    /// Where to reach a listener bound to `address` from this machine (a bare host, no brackets).
    static func connectableHost(_ address: String) -> String {
        switch address {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "::1"
        default: address.hasPrefix("[") && address.hasSuffix("]") ? String(address.dropFirst().dropLast()) : address
        }
    }
}
