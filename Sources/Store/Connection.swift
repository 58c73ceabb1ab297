import SQLite

/// A connection of the store to its database (`SQLConnection`: SQLite or PostgreSQL),
/// failures as `StoreError`, so the queue's code reads the same over either. Not thread-safe.
final class Connection {
    let database: any SQLConnection

    init(_ database: any SQLConnection) { self.database = database }

    var dialect: SQLDialect { database.dialect }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { database.changes }

    /// Runs one or more SQL statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        do { try database.execute(sql) } catch { throw StoreError(error) }
    }

    /// A prepared statement for `sql`, cached per connection and reset before reuse.
    func prepare(_ sql: String) throws(StoreError) -> PreparedStatement {
        do { return PreparedStatement(try database.statement(sql)) } catch { throw StoreError(error) }
    }

    /// A prepared statement the caller keeps (not in the connection's cache).
    func prepareKept(_ sql: String) throws(StoreError) -> PreparedStatement {
        do { return PreparedStatement(try database.keptStatement(sql)) } catch { throw StoreError(error) }
    }

    /// Runs `body` in a write transaction; commits when it returns, rolls back when it throws.
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

    /// Runs an INSERT that ends in `RETURNING id` and gives that id (nil when a conflict
    /// inserted nothing).
    func insertReturningID(_ statement: PreparedStatement, _ values: [StatementValue]) throws(StoreError) -> Int64? {
        statement.reset()
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }
}

/// A prepared statement of the store, failures as `StoreError`.
struct PreparedStatement {
    let statement: any SQLStatement

    init(_ statement: any SQLStatement) { self.statement = statement }

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
