import PostgresStore

/// The tenant's parts that one instance at a time runs when several share a PostgreSQL
/// store (`BackgroundLoop(singleton:)`), by the names their leases and `status` use. The
/// address-list refresh runs on each instance: each filters its own callbacks with the
/// list it holds, and the list is a public file, no budget of Docplanner's.
enum SingletonPart: String, CaseIterable, Sendable {
    /// Collecting clinic changes into the outbox, with the periodic reconciliation of
    /// bookings and the slot refresh it schedules (`ChangeCollector`).
    case changeCollection = "change-collection"
    /// The hourly release of Docplanner's failed pushes.
    case release
    /// Pulling notifications (`docplanner.mode` pull or both).
    case pull
    /// Rediscovering Docplanner's resources to spot drift.
    case mappingWatch = "mapping-watch"
    /// Deleting patients' data past its retention.
    case retention

    /// The lease's name: the tenant's and the part's (`default/release`).
    func leaseName(tenant: String) -> String { "\(tenant)/\(rawValue)" }

    /// Which instance holds each of the tenant's singletons now, as the database server
    /// sees it (`none` when no instance does); nil when the server cannot be asked.
    static func holders(tenant: String, url: String) -> [String: String]? {
        var holders: [String: String] = [:]
        do {
            for part in allCases {
                holders[part.rawValue] =
                    try SingletonLease.holder(of: part.leaseName(tenant: tenant), url: url) ?? "none"
            }
            return holders
        } catch {
            return nil
        }
    }
}
