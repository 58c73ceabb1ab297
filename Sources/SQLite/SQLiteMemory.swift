internal import CSQLite

/// How SQLite uses memory in this process, set once before the first connection opens.
/// A daemon with many clinics holds a few connections per clinic; each one's page cache
/// would otherwise start with a bulk allocation and grow to 2 MB. Caches grow page by page,
/// and past `softHeapLimitBytes` of SQLite memory in all (schemas, statements and caches
/// of every connection) each connection reuses its least recently used pages instead of
/// allocating more: a busy store on a server of a few clinics never comes near it; a
/// thousand idle ones stay small.
enum SQLiteMemory {
    /// SQLite's memory beyond which page caches stop growing.
    static let softHeapLimitBytes: Int64 = 64 << 20

    /// Applies the settings (once; every `Database` init passes here first).
    static let configured: Void = {
        _ = dpbridge_sqlite_no_initial_page_cache()
        sqlite3_initialize()
        sqlite3_soft_heap_limit64(softHeapLimitBytes)
    }()
}
