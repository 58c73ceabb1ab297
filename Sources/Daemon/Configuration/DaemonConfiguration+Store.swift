import Partner
import PostgresStore
import Store

extension DaemonConfiguration {
    /// Where this tenant's store is: its SQLite file, or its schema on the PostgreSQL
    /// server (`dpbridge_<tenant>`) that every instance of the deployment shares.
    package var storeLocation: StoreLocation {
        switch storeBackend {
        case .sqlite: .sqlite(path: storePath)
        case .postgres(let url): .postgres(postgresEndpoint(url: url))
        }
    }

    /// The tenant's schema on the PostgreSQL server; nil with the SQLite backend.
    package var postgresEndpoint: PostgresEndpoint? {
        guard case .postgres(let url) = storeBackend else { return nil }
        return postgresEndpoint(url: url)
    }

    private func postgresEndpoint(url: Secret) -> PostgresEndpoint {
        PostgresEndpoint(url: url.value, schema: PostgresEndpoint.schema(forTenant: tenant))
    }

    /// Whether several instances may share this tenant's store (PostgreSQL): then no
    /// instance lock, no reclaiming of jobs in flight at start (another instance may hold
    /// them), and singletons run where their lease is held.
    package var storeIsShared: Bool { storeBackend != .sqlite }

    /// How the store is named in messages: the file, or the schema (never the URL).
    package var storeDescription: String { storeLocation.description }

    /// Where the clinic calendar (or the HTTP adapter's mirror) is: its file, or with
    /// `partner.backend: postgres` the tenant's calendar schema on the store's server
    /// (`dpbridge_<tenant>_calendar`), which every instance and the clinic software reach.
    package var calendarLocation: CalendarLocation {
        guard calendarOnPostgres, let store = postgresEndpoint else { return .sqlite(path: calendarPath) }
        return .postgres(PostgresEndpoint(url: store.url, schema: PostgresCalendarSchema.schema(forTenant: tenant)))
    }

    /// How the calendar is named in messages: its file, or its schema.
    package var calendarDescription: String { calendarOnPostgres ? calendarLocation.description : calendarPath }
}
