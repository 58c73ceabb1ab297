#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: SQLITE_CONFIG_PAGECACHE with no
/// buffer and no pages, so that a connection's page cache grows page by page as it is
/// used instead of starting with a bulk allocation of 20 pages (~86 KB per connection).
/// Only before sqlite3_initialize; returns SQLITE_MISUSE after it.
static inline int dpbridge_sqlite_no_initial_page_cache(void) {
    return sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
}
