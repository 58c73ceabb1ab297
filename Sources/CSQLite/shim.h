#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: SQLITE_CONFIG_PAGECACHE with no
/// buffer and no pages, so that a connection's page cache grows page by page as it is
/// used instead of starting with a bulk allocation of 20 pages (~86 KB per connection).
/// Only before sqlite3_initialize; returns SQLITE_MISUSE after it.
static inline int dpbridge_sqlite_no_initial_page_cache(void) {
    return sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
}

/// sqlite3_db_config is variadic too: SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on (1) or off (0).
/// On, closing the last connection to a WAL file leaves the WAL as it is (no checkpoint, no
/// deletion): closing then writes nothing.
static inline int dpbridge_sqlite_no_checkpoint_on_close(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, (int *)0);
}

/// SQLITE_CONFIG_MEMSTATUS off: SQLite stops counting its memory, which it does under one
/// process-wide mutex on every allocation and free; threads opening connections (each
/// parsing its schema, thousands of allocations) queued on it. Only before
/// sqlite3_initialize; returns SQLITE_MISUSE after it.
static inline int dpbridge_sqlite_no_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
