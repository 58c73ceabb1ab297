internal import CSQLite

/// How SQLite uses memory in this process, set once before the first connection opens.
/// A daemon with many clinics holds connections for each: every connection's page cache
/// grows page by page as it is used instead of starting with a bulk allocation, up to
/// `cacheKilobytes`. SQLite does not count its memory (no soft heap limit): counting
/// takes one process-wide mutex on every allocation, which threads opening connections
/// at once queued on. Idle connections are closed instead (`OpenConnections`).
enum SQLiteMemory {
    /// The most each connection's page cache holds (`PRAGMA cache_size`; SQLite's
    /// default is 2,000 KB): the store appends and claims near the end of its tables and
    /// the calendar is small, while a thousand clinics' writers hold a cache each.
    static let cacheKilobytes = 512

    /// Applies the settings (once; every `Database` init passes here first).
    static let configured: Void = {
        _ = dpbridge_sqlite_no_initial_page_cache()
        _ = dpbridge_sqlite_no_memory_statistics()
        sqlite3_initialize()
    }()
}
