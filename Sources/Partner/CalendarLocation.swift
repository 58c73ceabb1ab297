import SQLite

/// Where the embedded clinic calendar is: a SQLite file on this host, or a PostgreSQL
/// schema every instance behind one callback URL reaches (made by the daemon, which knows
/// the server).
package struct CalendarLocation: Sendable {
    /// For messages: the file's path, or the schema (never a password).
    package let description: String
    package let dialect: SQLDialect
    /// Opens a connection; `migrating`: bring the schema to this binary's version first.
    package let open: @Sendable (_ migrating: Bool) throws(SQLiteError) -> any SQLConnection

    package init(
        description: String, dialect: SQLDialect,
        open: @escaping @Sendable (_ migrating: Bool) throws(SQLiteError) -> any SQLConnection
    ) {
        self.description = description
        self.dialect = dialect
        self.open = open
    }

    /// The calendar file at `path`, created and migrated when needed.
    package static func sqlite(path: String) -> CalendarLocation {
        CalendarLocation(description: path, dialect: .sqlite) { _ throws(SQLiteError) in
            let database = try Database(path: path, schema: EmbeddedSchema.migrator)
            // Closed between uses: a close that wrote the WAL into the file would wake the
            // collector watching it, which would open the calendar again.
            try database.keepWALOnClose()
            return database
        }
    }
}
