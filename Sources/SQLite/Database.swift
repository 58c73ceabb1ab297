internal import CSQLite
import Glibc

/// One SQLite connection. Not thread-safe: each connection belongs to one thread or is
/// guarded by a lock by its owner. The handle is closed in `deinit`.
package final class Database {
    let handle: OpaquePointer
    package let path: String
    private var statements: [StatementKey: Statement] = [:]

    /// Opens (creating when missing) the database at `path` in WAL mode with a busy timeout.
    /// `schema`: the file is brought to its latest version; a missing file is made whole
    /// at that version by `NewDatabaseFile` (two syncs, no migration run here).
    /// `incrementalVacuumIfNew`: a file created here gives the pages of deleted rows back to
    /// the file system (`PRAGMA incremental_vacuum`); SQLite takes that setting without a
    /// `VACUUM` only before the file's first write.
    package convenience init(
        path: String, busyTimeoutMilliseconds: Int32 = 5000, schema: Migrator? = nil,
        incrementalVacuumIfNew: Bool = false
    ) throws(SQLiteError) {
        SQLiteMemory.configured
        if let schema {
            try NewDatabaseFile.makeIfMissing(
                at: path, schema: .init(migrator: schema, incrementalVacuum: incrementalVacuumIfNew))
        }
        try self.init(opening: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX)
        Self.waitBriefly(handle, timeoutMilliseconds: busyTimeoutMilliseconds)
        if incrementalVacuumIfNew, try scalar("PRAGMA page_count") == 0 {
            try execute("PRAGMA auto_vacuum = INCREMENTAL")
        }
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA cache_size=-\(SQLiteMemory.cacheKilobytes)")
        try schema?.migrate(self)
    }

    /// Opens `path` with `flags` and nothing set: no journal mode, no busy wait.
    init(opening path: String, flags: Int32) throws(SQLiteError) {
        SQLiteMemory.configured
        var pointer: OpaquePointer?
        let code = sqlite3_open_v2(path, &pointer, flags, nil)
        guard code == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let pointer { sqlite3_close_v2(pointer) }
            throw .sqlite(code: code, message: message, context: "open \(path)")
        }
        handle = pointer
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
    }

    /// While another connection holds the write lock, retries every 100 µs for the first
    /// 10 ms, then every millisecond, until `timeoutMilliseconds`. SQLite's own busy
    /// timeout sleeps 1, 2, 5, 10 … 100 ms between tries, so a lock held for a fraction of
    /// a millisecond (one group commit) could cost a waiter tens of milliseconds.
    private static func waitBriefly(_ handle: OpaquePointer, timeoutMilliseconds: Int32) {
        let limit = UnsafeMutableRawPointer(bitPattern: Int(max(timeoutMilliseconds, 1)) * 1000)
        sqlite3_busy_handler(
            handle,
            { context, count in
                let limitMicroseconds = Int(bitPattern: context)
                let tries = Int(count)
                let waited = tries < 100 ? tries * 100 : 10_000 + (tries - 100) * 1000
                guard waited < limitMicroseconds else { return 0 }
                usleep(tries < 100 ? 100 : 1000)
                return 1
            }, limit)
    }

    /// Closing this connection, even the process's last to the file, writes nothing: the
    /// WAL is neither checkpointed into the file nor deleted (the next open reads it; the
    /// automatic checkpoints of later commits still move it into the file). For a file
    /// whose writes wake a reader (the collector watches the calendar's files), so that
    /// closing an idle connection does not wake the reader that would open it again.
    package func keepWALOnClose() throws(SQLiteError) {
        let code = dpbridge_sqlite_no_checkpoint_on_close(handle, 1)
        guard code == SQLITE_OK else {
            throw .sqlite(
                code: code, message: String(cString: sqlite3_errmsg(handle)), context: "no checkpoint on close")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows.
    package func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw .sqlite(code: code, message: text, context: String(sql.prefix(60)))
        }
    }

    /// A prepared statement for `sql`, cached per connection and reset before reuse.
    package func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statements[StatementKey(sql)] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: self, sql: sql)
        statements[StatementKey(sql)] = statement
        return statement
    }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`, so the write lock is taken up
    /// front); commits when it returns, rolls back when it throws.
    package func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try transaction(body, failure: { $0 })
    }

    /// `transaction(_:)` for a caller with its own error type: SQLite's own failures (to
    /// begin or commit) reach it through `failure`. With `.deferredSync` the commit is not
    /// flushed to disk by itself (`synchronous=NORMAL` for this transaction only): a crash
    /// of the process keeps it, a power loss may drop it, and the next `.fullSync` commit
    /// on the same file (any connection: the WAL is one file) makes it durable with its own.
    package func transaction<T, Failure: Error>(
        durability: CommitDurability = .fullSync, _ body: () throws(Failure) -> T,
        failure: (SQLiteError) -> Failure
    ) throws(Failure) -> T {
        // BEGIN, COMMIT and ROLLBACK are cached statements (a transaction per event batch
        // parsed them anew); the PRAGMAs are not: SQLite applies `synchronous` when it
        // prepares one, and a prepared one run later did not reliably set it (tried).
        if durability == .deferredSync {
            do throws(SQLiteError) { try execute("PRAGMA synchronous=NORMAL") } catch { throw failure(error) }
        }
        defer {
            if durability == .deferredSync { try? execute("PRAGMA synchronous=FULL") }
        }
        do throws(SQLiteError) { try prepare("BEGIN IMMEDIATE").run() } catch { throw failure(error) }
        do throws(Failure) {
            let result = try body()
            do throws(SQLiteError) { try prepare("COMMIT").run() } catch { throw failure(error) }
            return result
        } catch {
            try? prepare("ROLLBACK").run()
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last INSERT.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The first column of the first row of `sql`, as an integer (0 when no row).
    package func scalar(_ sql: String, _ values: StatementValue...) throws(SQLiteError) -> Int64 {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }  // Ends the implicit read transaction.
        return try statement.step() ? statement.int64(0) : 0
    }

    /// The connection's last error message for `code`, with `context`.
    func error(_ code: Int32, _ context: String) -> SQLiteError {
        .sqlite(code: code, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}
