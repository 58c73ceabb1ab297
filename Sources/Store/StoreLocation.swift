import SQLite

/// Where a store keeps its data, and how to open a connection to it.
package struct StoreLocation: Sendable {
    /// For messages and status: the SQLite file's path, or the PostgreSQL schema (never
    /// a password).
    package let description: String
    package let dialect: SQLDialect
    /// Opens a connection; `migrating`: bring the schema to this binary's version first
    /// (the writer's connection, opened once per store).
    package let open: @Sendable (_ migrating: Bool) throws(StoreError) -> any SQLConnection

    package init(
        description: String, dialect: SQLDialect,
        open: @escaping @Sendable (_ migrating: Bool) throws(StoreError) -> any SQLConnection
    ) {
        self.description = description
        self.dialect = dialect
        self.open = open
    }

    /// The SQLite file at `path` (created when missing), deleted rows overwritten.
    package static func sqlite(path: String) -> StoreLocation {
        StoreLocation(description: path, dialect: .sqlite) { migrating throws(StoreError) in
            do throws(SQLiteError) {
                // A new store gives the pages of deleted rows back to the file system
                // (`PRAGMA incremental_vacuum` after each retention run).
                let database = try Database(
                    path: path, schema: migrating ? StoreSchema.migrator : nil, incrementalVacuumIfNew: migrating)
                try database.execute("PRAGMA secure_delete = ON")
                return database
            } catch { throw StoreError(error) }
        }
    }
}
