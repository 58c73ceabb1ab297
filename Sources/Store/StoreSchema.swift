import SQLite

/// The store's tables. Append migrations; never edit one that has shipped.
enum StoreSchema {
    static let migrator = Migrator(migrations: [
        // 1: inbox, outbox (the same shape), quarantine.
        queueTable("inbox") + queueTable("outbox") + """
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                received_at REAL NOT NULL,
                source TEXT NOT NULL,
                reason TEXT NOT NULL,
                body BLOB NOT NULL
            );
            """,
        // 2: answers given to Docplanner's blocking questions (slot-booking, booking-moving).
        """
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            decided_at REAL NOT NULL,
            event_name TEXT NOT NULL,
            event_key TEXT NOT NULL,
            doctor_id TEXT,
            address_id TEXT,
            start_at TEXT,
            approved INTEGER NOT NULL,
            error_code TEXT,
            reason TEXT NOT NULL,
            elapsed_ms REAL NOT NULL
        );
        CREATE INDEX decisions_by_time ON decisions (decided_at);
        """,
        // 3: Docplanner's resources as last discovered, and their partner ids.
        """
        CREATE TABLE docplanner_resources (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            facility_id TEXT,
            doctor_id TEXT,
            address_id TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            vanished_at REAL,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX docplanner_resources_by_facility ON docplanner_resources (facility_id, kind);
        CREATE TABLE mappings (
            kind TEXT NOT NULL,
            docplanner_id TEXT NOT NULL,
            partner_id TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('manual', 'auto', 'import', 'feed')),
            confidence REAL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (kind, docplanner_id)
        );
        CREATE INDEX mappings_by_partner ON mappings (kind, partner_id);
        """,
        // 4: small facts kept across restarts (the time of Docplanner's last ping), so
        // `dpbridge status` can show them while the daemon is stopped.
        """
        CREATE TABLE store_values (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        """,
        // 5: insurance plans are discovered too; each belongs to an insurance provider,
        // which no facility, doctor or address column can name.
        """
        ALTER TABLE docplanner_resources ADD COLUMN insurance_provider_id TEXT;
        """,
        // 6: the unfinished jobs in the order a claim takes them (`claimableCondition`), as
        // on PostgreSQL: with only (state, priority, id) a claim read and sorted every
        // pending row, however few it took.
        """
        CREATE INDEX inbox_unfinished ON inbox (priority, id) WHERE state IN ('pending', 'retry', 'inflight');
        CREATE INDEX outbox_unfinished ON outbox (priority, id) WHERE state IN ('pending', 'retry', 'inflight');
        """,
        // 7: the queues' conditions on `state` without lists of three or more values. SQLite
        // evaluates such a list through a temporary table it builds on every run of a
        // statement, and the state CHECK and the partial index's condition run on every
        // insert and update: ~8 µs a row written, three rows a callback (an enqueue, its
        // claim, its finish). The CHECK changes with a rebuild of each table (rows and ids
        // kept); the unfinished jobs are those not `done` or `dead` (the CHECK allows no
        // other states), which a claim names the same way (`claimableCondition`).
        rebuiltQueueTable("inbox") + rebuiltQueueTable("outbox"),
        // 8: no index of every job by state. `<name>_ready (state, priority, id)` changed on
        // every enqueue, claim and finish (five B-tree writes a callback) for readers that
        // want only unfinished jobs, which `<name>_unfinished` serves when they name them
        // as it does, or only finished ones: dead letters, and done jobs past retention,
        // which `<name>_finished` holds by the time they finished.
        """
        DROP INDEX inbox_ready;
        DROP INDEX outbox_ready;
        CREATE INDEX inbox_finished ON inbox (state, finished_at) WHERE state = 'done' OR state = 'dead';
        CREATE INDEX outbox_finished ON outbox (state, finished_at) WHERE state = 'done' OR state = 'dead';
        """,
    ])

    /// Migration 7's rebuild of a queue table: its columns as `queueTable` made them, the
    /// state CHECK spelled as comparisons, the indexes as before but `<name>_unfinished`.
    private static func rebuiltQueueTable(_ name: String) -> String {
        let columns = """
            id, dedup_key, kind, ordering_key, coalesce_key, priority, payload, source, created_at, state, attempts,
                not_before, lease_token, lease_until, last_error, finished_at
            """
        return """
            CREATE TABLE \(name)_rebuilt (
                id INTEGER PRIMARY KEY,
                dedup_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                ordering_key TEXT,
                coalesce_key TEXT,
                priority INTEGER NOT NULL DEFAULT 0,
                payload BLOB NOT NULL,
                source TEXT NOT NULL DEFAULT '',
                created_at REAL NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state = 'pending' OR state = 'retry' OR state = 'inflight' OR state = 'done' OR state = 'dead'),
                attempts INTEGER NOT NULL DEFAULT 0,
                not_before REAL NOT NULL DEFAULT 0,
                lease_token TEXT,
                lease_until REAL,
                last_error TEXT,
                finished_at REAL
            );
            INSERT INTO \(name)_rebuilt (\(columns)) SELECT \(columns) FROM \(name);
            DROP TABLE \(name);
            ALTER TABLE \(name)_rebuilt RENAME TO \(name);
            CREATE INDEX \(name)_ready ON \(name) (state, priority, id);
            CREATE INDEX \(name)_ordering ON \(name) (ordering_key, id) WHERE ordering_key IS NOT NULL;
            CREATE INDEX \(name)_coalesce ON \(name) (coalesce_key) WHERE coalesce_key IS NOT NULL;
            CREATE INDEX \(name)_unfinished ON \(name) (priority, id) WHERE state NOT IN ('done', 'dead');

            """
    }

    /// A durable job queue: dedup by key, per-key ordering, coalescing, priority, leases,
    /// retries and dead letters (`state = 'dead'`).
    private static func queueTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            id INTEGER PRIMARY KEY,
            dedup_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            ordering_key TEXT,
            coalesce_key TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            payload BLOB NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'retry', 'inflight', 'done', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0,
            lease_token TEXT,
            lease_until REAL,
            last_error TEXT,
            finished_at REAL
        );
        CREATE INDEX \(name)_ready ON \(name) (state, priority, id);
        CREATE INDEX \(name)_ordering ON \(name) (ordering_key, id) WHERE ordering_key IS NOT NULL;
        CREATE INDEX \(name)_coalesce ON \(name) (coalesce_key) WHERE coalesce_key IS NOT NULL;

        """
    }
}
