import PostgresStore
import Store

/// `dpbridge migrate`: brings each tenant's store to this binary's schema, without starting
/// anything else. On PostgreSQL, run it before a new version's instances take traffic
/// (instances also migrate as they start; the migrations are additive, so instances of the
/// previous version keep working on the migrated schema until they are replaced).
package enum StoreMigration {
    /// One tenant's store after the migration.
    package struct Outcome: Sendable, Equatable {
        package var tenant: String
        package var store: String
        /// The version found before; nil where the store does not say (SQLite).
        package var foundVersion: Int?
        package var version: Int
        /// The calendar's schema and what its migration did, with `partner.backend: postgres`.
        package var calendar: String?
    }

    /// Migrates the store of `configuration`'s tenant; throws what kept it from it (a
    /// server that cannot be reached, a schema newer than this binary's).
    package static func migrate(_ configuration: DaemonConfiguration) throws -> Outcome {
        guard let endpoint = configuration.postgresEndpoint else {
            try DaemonRuntime.ensureParentDirectory(of: configuration.storePath)
            try Store(location: configuration.storeLocation).close()
            return Outcome(
                tenant: configuration.tenant, store: configuration.storeDescription, foundVersion: nil,
                version: Store.schemaVersion)
        }
        let connection = try endpoint.connect(applicationName: "dpbridge migrate")
        let found = try PostgresSchema.migrate(connection, schema: endpoint.schema)
        var calendarOutcome: String?
        if configuration.calendarOnPostgres {
            // The calendar's schema too, so that clinic software can write to it before the
            // first instance starts.
            let calendar = PostgresCalendarSchema.schema(forTenant: configuration.tenant)
            let before = try PostgresSchema.migrate(
                connection, schema: calendar, migrations: PostgresCalendarSchema.migrations)
            let latest = PostgresCalendarSchema.migrations.count
            calendarOutcome =
                "calendar: PostgreSQL schema \(calendar) \(before == latest ? "already at" : "from \(before) to") "
                + "schema version \(latest)"
        }
        return Outcome(
            tenant: configuration.tenant, store: endpoint.description, foundVersion: found,
            version: PostgresSchema.latestVersion, calendar: calendarOutcome)
    }
}
