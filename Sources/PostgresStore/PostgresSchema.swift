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
        """
        -- 3: the rest of SQLite's store (its migrations 1 to 5, as they stand): the
        -- quarantine, the answers to blocking questions, Docplanner's resources and their
        -- mappings, small facts kept across restarts.
        CREATE TABLE quarantine (
            id BIGSERIAL PRIMARY KEY,
            received_at DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            body BYTEA NOT NULL
        );
        CREATE TABLE decisions (
            id BIGSERIAL PRIMARY KEY,
            decided_at DOUBLE PRECISION NOT NULL,
            event_name TEXT NOT NULL,
            event_key TEXT NOT NULL,
            doctor_id TEXT,
            address_id TEXT,
            start_at TEXT,
            approved INTEGER NOT NULL,
            error_code TEXT,
            reason TEXT NOT NULL,
            elapsed_ms DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX decisions_by_time ON decisions (decided_at);
        CREATE TABLE docplanner_resources (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            facility_id TEXT,
            doctor_id TEXT,
            address_id TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            first_seen DOUBLE PRECISION NOT NULL,
            last_seen DOUBLE PRECISION NOT NULL,
            vanished_at DOUBLE PRECISION,
            insurance_provider_id TEXT,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX docplanner_resources_by_facility ON docplanner_resources (facility_id, kind);
        CREATE TABLE mappings (
            kind TEXT NOT NULL,
            docplanner_id TEXT NOT NULL,
            partner_id TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('manual', 'auto', 'import', 'feed')),
            confidence DOUBLE PRECISION,
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (kind, docplanner_id)
        );
        CREATE INDEX mappings_by_partner ON mappings (kind, partner_id);
        CREATE TABLE store_values (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        );
        """,
        """
        -- 4: a permit counts from the end of its request, not from its grant (Docplanner
        -- counts a request when it arrives): each has an id to be finished by, and while its
        -- request is in flight `counted_from` is the latest that request may end.
        ALTER TABLE dpbridge_rate_permits ADD COLUMN id BIGSERIAL PRIMARY KEY;
        ALTER TABLE dpbridge_rate_permits RENAME COLUMN granted_at TO counted_from;
        """,
    ]

    /// The schema version this binary writes.
    package static var latestVersion: Int { migrations.count }

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

    /// Brings the connection's schema (`schema`, made when missing; nil: the connection's
    /// `search_path` as it is) to the newest version; returns the version it found.
    @discardableResult
    package static func migrate(
        _ connection: PostgresConnection, schema: String? = nil, migrations: [String] = migrations
    ) throws(StoreError) -> Int {
        do {
            return try connection.transaction { () throws(PostgresError) -> Result<Int, StoreError> in
                try connection.execute("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
                if let schema {
                    // The version table and the migration's objects go in `schema`, whatever
                    // the connection's own search_path (`dpbridge migrate` migrates several
                    // schemas on one connection).
                    try connection.execute("CREATE SCHEMA IF NOT EXISTS \(PostgresEndpoint.identifier(schema))")
                    try connection.execute("SET LOCAL search_path TO \(PostgresEndpoint.identifier(schema))")
                }
                try connection.execute("CREATE TABLE IF NOT EXISTS dpbridge_schema (version INTEGER NOT NULL)")
                let found = Int(
                    try connection.execute("SELECT coalesce(max(version), 0) AS v FROM dpbridge_schema").integer(0, "v")
                        ?? 0)
                guard found <= migrations.count else {
                    return .failure(
                        .futureSchema(
                            found: found, supported: migrations.count,
                            path: schema.map { "PostgreSQL schema \($0)" } ?? "the PostgreSQL store"))
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
