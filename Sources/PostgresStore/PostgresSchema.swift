import Postgres
import Store

/// The PostgreSQL store's schema: numbered migrations, each applied in a transaction that
/// holds an advisory lock, so two instances starting at once migrate one after the other;
/// a database migrated by a newer dpbridge is refused with `StoreError.futureSchema`.
package enum PostgresSchema {
    /// The lock every migration transaction takes (an arbitrary, fixed 64-bit key).
    static let migrationLock: Int64 = 0x6470_6272_6964_6765  // "dpbridge"

    package static let migrations: [String] = [
        """
        -- 1: the inbox and the outbox, as in SQLite's store: dedup by key, a lease per claim,
        -- retries with a due time, dead letters.
        \(queueTable("inbox"))
        \(queueTable("outbox"))
        """,
        """
        -- 2: Docplanner's per-client budgets, shared by the instances (SharedRateWindow): one
        -- row per permit taken, deleted once out of its window.
        CREATE TABLE dpbridge_rate_permits (
            tenant TEXT NOT NULL,
            kind TEXT NOT NULL,
            granted_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX dpbridge_rate_permits_by_window ON dpbridge_rate_permits (tenant, kind, granted_at);
        """,
    ]

    private static func queueTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            id BIGSERIAL PRIMARY KEY,
            dedup_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            ordering_key TEXT,
            coalesce_key TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            payload BYTEA NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'inflight', 'retry', 'done', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before DOUBLE PRECISION NOT NULL DEFAULT 0,
            lease_token TEXT,
            lease_until DOUBLE PRECISION,
            last_error TEXT,
            created_at DOUBLE PRECISION NOT NULL,
            finished_at DOUBLE PRECISION
        );
        CREATE INDEX \(name)_unfinished ON \(name) (priority, id) WHERE state IN ('pending', 'retry', 'inflight');
        CREATE INDEX \(name)_by_ordering ON \(name) (ordering_key, id)
            WHERE ordering_key IS NOT NULL AND state IN ('pending', 'retry', 'inflight');
        CREATE INDEX \(name)_by_coalesce ON \(name) (coalesce_key) WHERE coalesce_key IS NOT NULL AND state = 'pending';
        """
    }

    /// Brings the database to the newest schema; returns the version it found.
    @discardableResult
    package static func migrate(_ connection: PostgresConnection) throws(StoreError) -> Int {
        do {
            return try connection.transaction { () throws(PostgresError) -> Result<Int, StoreError> in
                try connection.execute("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
                try connection.execute("CREATE TABLE IF NOT EXISTS dpbridge_schema (version INTEGER NOT NULL)")
                let found = Int(
                    try connection.execute("SELECT coalesce(max(version), 0) AS v FROM dpbridge_schema").integer(0, "v")
                        ?? 0)
                guard found <= migrations.count else {
                    return .failure(
                        .futureSchema(found: found, supported: migrations.count, path: "the PostgreSQL store"))
                }
                for version in (found + 1)..<(migrations.count + 1) {
                    try connection.executeScript(migrations[version - 1])
                    try connection.execute(
                        "INSERT INTO dpbridge_schema (version) VALUES ($1)", [.integer(Int64(version))])
                }
                return .success(found)
            }.get()
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresError {
            throw StoreError(error)
        } catch {
            throw .postgres(sqlState: "XX000", message: "\(error)")
        }
    }
}

extension StoreError {
    /// The store's view of a PostgreSQL failure.
    init(_ error: PostgresError) {
        switch error {
        case .server(let state, let message): self = .postgres(sqlState: state, message: message)
        case .connection(let message): self = .postgres(sqlState: "08006", message: message)
        case .protocolViolation(let message): self = .postgres(sqlState: "08P01", message: message)
        }
    }
}
