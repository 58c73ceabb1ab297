import SQLite

/// Which SQL the store's database speaks, where the two differ (a claim's row locks, the
/// file maintenance only SQLite has). Everything else the store writes once, in the SQL
/// both accept, with `?` or `?N` parameters.
package enum SQLDialect: Sendable {
    case sqlite, postgres
}

/// One connection to the store's database, SQLite's file or a PostgreSQL server: what the
/// store's queues, mappings and values need of it. Not thread-safe: the store uses each
/// connection from one thread at a time (the writer's, or the control connection's lock).
package protocol StoreDatabase: AnyObject {
    var dialect: SQLDialect { get }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { get }
    /// Runs one or more statements without parameters that return no rows.
    func execute(_ sql: String) throws(StoreError)
    /// A statement for `sql`, which the connection may keep and hand out again (reset).
    func prepare(_ sql: String) throws(StoreError) -> any StoreStatement
    /// A statement for `sql` that the caller keeps.
    func prepareKept(_ sql: String) throws(StoreError) -> any StoreStatement
    /// Runs `body` in a transaction that takes the write lock (SQLite) or begins at once
    /// (PostgreSQL); commits when it returns, rolls back when it throws.
    func transaction<T>(durability: CommitDurability, _ body: () throws(StoreError) -> T) throws(StoreError) -> T
}

/// A statement of the store: bind, step through rows, read columns by index (0-based).
package protocol StoreStatement: AnyObject {
    /// Ready to run again, bindings cleared.
    func reset()
    /// Binds `values` to parameters 1…n.
    func bind(_ values: [StatementValue]) throws(StoreError)
    /// Runs the statement (first call) and advances to the next row; false when done.
    func step() throws(StoreError) -> Bool
    /// Binds `values` and runs the statement to completion.
    func run(_ values: [StatementValue]) throws(StoreError)
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func isNull(_ column: Int32) -> Bool
    func text(_ column: Int32) -> String?
    func blob(_ column: Int32) -> [UInt8]
}

/// Where a store keeps its data, and how to open a connection to it.
package struct StoreLocation: Sendable {
    /// For messages and status: the SQLite file's path, or the PostgreSQL schema (never
    /// a password).
    package let description: String
    package let dialect: SQLDialect
    /// Opens a connection; `migrating`: bring the schema to this binary's version first
    /// (the writer's connection, opened once per store).
    package let open: @Sendable (_ migrating: Bool) throws(StoreError) -> any StoreDatabase

    package init(
        description: String, dialect: SQLDialect,
        open: @escaping @Sendable (_ migrating: Bool) throws(StoreError) -> any StoreDatabase
    ) {
        self.description = description
        self.dialect = dialect
        self.open = open
    }

    /// The SQLite file at `path` (created when missing), deleted rows overwritten.
    package static func sqlite(path: String) -> StoreLocation {
        StoreLocation(description: path, dialect: .sqlite) { migrating throws(StoreError) in
            let database = try SQLiteStoreDatabase(
                path: path, schema: migrating ? StoreSchema.migrator : nil, incrementalVacuumIfNew: migrating)
            try database.execute("PRAGMA secure_delete = ON")
            return database
        }
    }
}
