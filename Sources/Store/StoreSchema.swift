/// The store's tables. Append migrations; never edit one that has shipped.
enum StoreSchema {
    static let migrator = Migrator(migrations: [
        // 1: inbox, outbox, quarantine.
        """
        CREATE TABLE inbox (
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
        CREATE INDEX inbox_ready ON inbox (state, priority, id);
        CREATE INDEX inbox_ordering ON inbox (ordering_key, id) WHERE ordering_key IS NOT NULL;
        CREATE INDEX inbox_coalesce ON inbox (coalesce_key) WHERE coalesce_key IS NOT NULL;
        CREATE TABLE outbox (
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
        CREATE INDEX outbox_ready ON outbox (state, priority, id);
        CREATE INDEX outbox_ordering ON outbox (ordering_key, id) WHERE ordering_key IS NOT NULL;
        CREATE INDEX outbox_coalesce ON outbox (coalesce_key) WHERE coalesce_key IS NOT NULL;
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            received_at REAL NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            body BLOB NOT NULL
        );
        """
    ])
}
