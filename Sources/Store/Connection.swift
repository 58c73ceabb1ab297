import SQLite

/// The store's connection to its SQLite file: the shared SQLite wrapper with failures as
/// `StoreError`, so the queue's code reads as before. Not thread-safe (see `Database`).
final class Connection {
    let database: Database

    /// `schema`, `incrementalVacuumIfNew`: see `Database.init`.
    init(path: String, schema: Migrator? = nil, incrementalVacuumIfNew: Bool = false) throws(StoreError) {
        do {
            database = try Database(path: path, schema: schema, incrementalVacuumIfNew: incrementalVacuumIfNew)
        } catch { throw StoreError(error) }
    }

    var path: String { database.path }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { database.changes }
    /// The rowid of the last INSERT.
    var lastInsertRowID: Int64 { database.lastInsertRowID }

    /// Runs one or more SQL statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        do { try database.execute(sql) } catch { throw StoreError(error) }
    }

    /// A prepared statement for `sql`, cached per connection and reset before reuse.
    func prepare(_ sql: String) throws(StoreError) -> PreparedStatement {
        do { return PreparedStatement(try database.prepare(sql)) } catch { throw StoreError(error) }
    }

    /// A prepared statement the caller keeps (not in the connection's cache).
    func prepareKept(_ sql: String) throws(StoreError) -> PreparedStatement {
        do { return PreparedStatement(try Statement(database: database, sql: sql)) } catch { throw StoreError(error) }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction; commits when it returns, rolls back
    /// when it throws.
    func transaction<T>(
        durability: CommitDurability = .fullSync, _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try database.transaction(durability: durability, body, failure: StoreError.init)
    }

    /// The first column of the first row of `sql`, as an integer (0 when no row).
    func scalar(_ sql: String, _ values: StatementValue...) throws(StoreError) -> Int64 {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }  // Ends the implicit read transaction.
        return try statement.step() ? statement.int64(0) : 0
    }
}

/// A prepared statement of the store, failures as `StoreError`.
struct PreparedStatement {
    let statement: Statement

    init(_ statement: Statement) { self.statement = statement }

    /// Resets the statement so it can run again, and clears its bindings.
    func reset() { statement.reset() }

    /// Binds `values` to parameters 1…n.
    func bind(_ values: [StatementValue]) throws(StoreError) {
        do { try statement.bind(values) } catch { throw StoreError(error) }
    }

    /// Advances to the next row; false when done.
    func step() throws(StoreError) -> Bool {
        do { return try statement.step() } catch { throw StoreError(error) }
    }

    /// Binds `values` and runs the statement to completion.
    func run(_ values: [StatementValue] = []) throws(StoreError) {
        do { try statement.run(values) } catch { throw StoreError(error) }
    }

    func int64(_ column: Int32) -> Int64 { statement.int64(column) }
    func int(_ column: Int32) -> Int { statement.int(column) }
    func double(_ column: Int32) -> Double { statement.double(column) }
    func isNull(_ column: Int32) -> Bool { statement.isNull(column) }
    func text(_ column: Int32) -> String? { statement.text(column) }
    func blob(_ column: Int32) -> [UInt8] { statement.blob(column) }
}
