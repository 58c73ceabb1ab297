/// Brings a database's schema up to date through numbered migrations recorded in
/// `PRAGMA user_version`, all pending ones in one transaction: a new file is created with
/// one commit (one fsync, not one per version), and a failing step leaves the file at
/// the version it had. A database whose version is higher than the newest migration
/// (written by a newer binary) is refused.
package struct Migrator: Hashable, Sendable {
    /// SQL scripts; migration N (1-based) is `migrations[N-1]`.
    package let migrations: [String]

    package init(migrations: [String]) {
        self.migrations = migrations
    }

    /// The schema version this binary writes.
    package var latestVersion: Int { migrations.count }

    /// Applies every migration the database has not seen yet.
    package func migrate(_ database: Database) throws(SQLiteError) {
        let current = Int(try database.scalar("PRAGMA user_version"))
        if current > latestVersion {
            throw .futureSchema(found: current, supported: latestVersion, path: database.path)
        }
        guard current < latestVersion else { return }
        try database.transaction { () throws(SQLiteError) in
            for version in (current + 1)...latestVersion {
                try database.execute(migrations[version - 1])
            }
            try database.execute("PRAGMA user_version = \(latestVersion)")
        }
    }
}
