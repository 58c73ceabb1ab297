/// Which SQL a connection speaks, where SQLite and PostgreSQL differ (a claim's row locks,
/// SQLite's file upkeep). Everything else dpbridge writes once, in the SQL both accept,
/// with SQLite's `?` or `?N` parameters.
package enum SQLDialect: Sendable {
    case sqlite, postgres
}

/// One connection to a SQL database, SQLite's file (`Database`) or a PostgreSQL server
/// (`PostgresSQLConnection`): what the store and the clinic calendar need of it, so that
/// their code is written once for both. Not thread-safe: each connection belongs to one
/// thread or is used under its owner's lock.
package protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { get }
    /// Runs one or more statements without parameters that return no rows.
    func execute(_ sql: String) throws(SQLiteError)
    /// A statement for `sql`, kept by the connection and handed out again (reset).
    func statement(_ sql: String) throws(SQLiteError) -> any SQLStatement
    /// A statement for `sql` that the caller keeps.
    func keptStatement(_ sql: String) throws(SQLiteError) -> any SQLStatement
    /// Runs `body` in a transaction that takes the write lock at once (SQLite's
    /// `BEGIN IMMEDIATE`; PostgreSQL's `BEGIN`); commits when it returns, rolls back when it
    /// throws. The connection's own failures reach the caller through `failure`.
    func transaction<T, Failure: Error>(
        durability: CommitDurability, _ body: () throws(Failure) -> T, failure: (SQLiteError) -> Failure
    ) throws(Failure) -> T
}

/// A statement: bind, step through rows, read columns by index (0-based).
package protocol SQLStatement: AnyObject {
    /// Ready to run again, bindings cleared.
    func reset()
    /// Binds `values` to parameters 1…n.
    func bind(_ values: [StatementValue]) throws(SQLiteError)
    /// Runs the statement (first call) and advances to the next row; false when done.
    func step() throws(SQLiteError) -> Bool
    /// Binds `values` and runs the statement to completion.
    func run(_ values: [StatementValue]) throws(SQLiteError)
    func int64(_ column: Int32) -> Int64
    func int(_ column: Int32) -> Int
    func double(_ column: Int32) -> Double
    func isNull(_ column: Int32) -> Bool
    func text(_ column: Int32) -> String?
    func blob(_ column: Int32) -> [UInt8]
}

extension SQLConnection {
    /// `statement(_:)`, named as `Database` names it.
    package func prepare(_ sql: String) throws(SQLiteError) -> any SQLStatement { try statement(sql) }

    /// A transaction whose failures are the connection's (`SQLiteError`).
    package func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try transaction(durability: .fullSync, body, failure: { $0 })
    }

    /// The first column of the first row of `sql`, as an integer (0 when no row).
    package func scalar(_ sql: String, _ values: StatementValue...) throws(SQLiteError) -> Int64 {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.reset() }  // Ends the implicit read transaction.
        return try statement.step() ? statement.int64(0) : 0
    }

    /// Runs an INSERT that ends in `RETURNING id`; the id, nil when a conflict inserted nothing.
    package func insertReturningID(_ sql: String, _ values: [StatementValue]) throws(SQLiteError) -> Int64? {
        let statement = try statement(sql)
        statement.reset()
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }
}

extension SQLStatement {
    /// Runs the statement, without parameters, to completion.
    package func run() throws(SQLiteError) { try run([]) }
}

extension Database: SQLConnection {
    package var dialect: SQLDialect { .sqlite }
    package func statement(_ sql: String) throws(SQLiteError) -> any SQLStatement { try prepare(sql) }
    package func keptStatement(_ sql: String) throws(SQLiteError) -> any SQLStatement {
        try Statement(database: self, sql: sql)
    }
}

extension Statement: SQLStatement {}
