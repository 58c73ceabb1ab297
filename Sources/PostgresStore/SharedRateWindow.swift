import DocplannerAPI
import Foundation
import Postgres
import Store

/// One tenant's Docplanner budget of one kind (40 writes a minute), shared by every
/// instance on the PostgreSQL store (issue 18: two instances must not make it 80). Each
/// permit is a row counted for `period` from `counted_from`: the end of its request, or,
/// while the request is in flight, the latest that end may be (`longestRequest` after the
/// grant, so a permit of an instance killed mid-request still counts long enough). Taking
/// one counts the rows under a transaction lock on the tenant and kind, so two instances
/// asking at once are served one after the other. Time is the database server's
/// (`clock_timestamp()`), one clock for every instance whatever their hosts' clocks say.
/// The local `RateLimiter` keeps ordering its own waiters by priority; this is the shared
/// count it asks before each call.
package final class SharedRateWindow: @unchecked Sendable {
    // @unchecked: `connection` only under `lock`; the rest never changes.
    package let tenant: String
    package let kind: String
    package let limit: Int
    package let period: Double
    /// Seconds a request may take at most (connection and answer): how long a permit in
    /// flight counts before its end is known.
    package let longestRequest: Double
    private let endpoint: PostgresEndpoint
    private let lock = NSLock()
    private var connection: PostgresConnection?

    /// Permits are rows of the tenant's schema (`endpoint`), migrated if needed
    /// (`PostgresSchema`) at the first permit.
    package init(
        endpoint: PostgresEndpoint, tenant: String, kind: String, limit: Int, period: Double,
        longestRequest: Double = 40
    ) {
        self.endpoint = endpoint
        self.tenant = tenant
        self.kind = kind
        self.limit = max(1, limit)
        self.period = period
        self.longestRequest = max(0, longestRequest)
    }

    /// Takes a permit when the window has room (`.granted`, its row's id the token for
    /// `finish`); otherwise the seconds until the oldest permit leaves the window.
    package func tryTake() throws(StoreError) -> SharedGrant {
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            return try connection.transaction { () throws(PostgresError) -> SharedGrant in
                try connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text("dpbridge-rate:\(tenant):\(kind)")])
                let now =
                    Double(
                        try connection.execute("SELECT extract(epoch FROM clock_timestamp())::float8 AS now").text(
                            0, "now") ?? "") ?? 0
                try connection.execute(
                    "DELETE FROM dpbridge_rate_permits WHERE tenant = $1 AND kind = $2 AND counted_from <= $3",
                    [.text(tenant), .text(kind), .real(now - period)])
                let window = try connection.execute(
                    """
                    SELECT count(*) AS n, min(counted_from) AS oldest FROM dpbridge_rate_permits
                    WHERE tenant = $1 AND kind = $2
                    """, [.text(tenant), .text(kind)])
                let used = Int(window.integer(0, "n") ?? 0)
                if used < limit {
                    let row = try connection.execute(
                        """
                        INSERT INTO dpbridge_rate_permits (tenant, kind, counted_from) VALUES ($1, $2, $3)
                        RETURNING id
                        """, [.text(tenant), .text(kind), .real(now + longestRequest)])
                    return .granted(token: row.integer(0, "id") ?? 0)
                }
                let oldest = window.text(0, "oldest").flatMap(Double.init) ?? now
                return .wait(seconds: max(0.001, oldest + period - now))
            }
        } catch {
            self.connection = nil  // a lost connection is made again at the next permit
            throw StoreError(error)
        }
    }

    /// The request of permit `token` has ended: the permit counts for `period` from now on
    /// the server's clock. If the database cannot be told, the permit keeps counting until
    /// `longestRequest` after its grant (never less than it should).
    package func finish(token: Int64) throws(StoreError) {
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            try connection.execute(
                """
                UPDATE dpbridge_rate_permits SET counted_from = extract(epoch FROM clock_timestamp())::float8
                WHERE id = $1
                """, [.integer(token)])
        } catch {
            self.connection = nil
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
