import Foundation
import Postgres
import Store

/// One tenant's Docplanner budget of one kind (40 writes a minute), shared by every
/// instance on the PostgreSQL store (issue 18: two instances must not make it 80). Each
/// permit is a row; taking one counts the rows of the last `period` under a transaction
/// lock on the tenant and kind, so two instances asking at once are served one after the
/// other. Time is the database server's (`clock_timestamp()`), one clock for every instance
/// whatever their hosts' clocks say. The local `RateLimiter` keeps ordering its own waiters
/// by priority; this is the shared count it asks before each call.
package final class SharedRateWindow: @unchecked Sendable {
    // @unchecked: `connection` only under `lock`; the rest never changes.
    package let tenant: String
    package let kind: String
    package let limit: Int
    package let period: Double
    private let endpoint: PostgresEndpoint
    private let lock = NSLock()
    private var connection: PostgresConnection?

    /// Permits are rows of the tenant's schema (`endpoint`), migrated if needed
    /// (`PostgresSchema`) at the first permit.
    package init(endpoint: PostgresEndpoint, tenant: String, kind: String, limit: Int, period: Double) {
        self.endpoint = endpoint
        self.tenant = tenant
        self.kind = kind
        self.limit = max(1, limit)
        self.period = period
    }

    /// Takes a permit when the window has room: nil. Otherwise the seconds until the oldest
    /// permit in the window expires (ask again then).
    package func tryTake() throws(StoreError) -> Double? {
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            return try connection.transaction { () throws(PostgresError) -> Double? in
                try connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text("dpbridge-rate:\(tenant):\(kind)")])
                let now =
                    Double(
                        try connection.execute("SELECT extract(epoch FROM clock_timestamp())::float8 AS now").text(
                            0, "now") ?? "") ?? 0
                try connection.execute(
                    "DELETE FROM dpbridge_rate_permits WHERE tenant = $1 AND kind = $2 AND granted_at <= $3",
                    [.text(tenant), .text(kind), .real(now - period)])
                let window = try connection.execute(
                    """
                    SELECT count(*) AS n, min(granted_at) AS oldest FROM dpbridge_rate_permits
                    WHERE tenant = $1 AND kind = $2
                    """, [.text(tenant), .text(kind)])
                let used = Int(window.integer(0, "n") ?? 0)
                if used < limit {
                    try connection.execute(
                        "INSERT INTO dpbridge_rate_permits (tenant, kind, granted_at) VALUES ($1, $2, $3)",
                        [.text(tenant), .text(kind), .real(now)])
                    return nil
                }
                let oldest = window.text(0, "oldest").flatMap(Double.init) ?? now
                return max(0.001, oldest + period - now)
            }
        } catch {
            self.connection = nil  // a lost connection is made again at the next permit
            throw StoreError(error)
        }
    }

    private func connected() throws(StoreError) -> PostgresConnection {
        if let connection { return connection }
        let connection: PostgresConnection
        do { connection = try endpoint.connect() } catch { throw StoreError(error) }
        try PostgresSchema.migrate(connection, schema: endpoint.schema)
        self.connection = connection
        return connection
    }
}
