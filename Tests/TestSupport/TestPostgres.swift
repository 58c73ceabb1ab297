import Foundation
import Partner
import Postgres
import PostgresStore
import SQLite

/// The throw-away PostgreSQL server `scripts/with-postgres.sh` started, if any
/// (`TEST_POSTGRES_URL`; `make test` runs `swift test` beside one).
package let testServerURL = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]

/// A schema name of its own for one test (tests run in parallel on one database).
package func newTestSchema(_ prefix: String = "t") -> String { "\(prefix)_\(UInt32.random(in: 0...UInt32.max))" }

/// A connection to the test server working in `schema`, made if it is not there yet.
package func testPostgresConnection(schema: String) throws -> PostgresConnection {
    let connection = try PostgresConnection(url: testServerURL!)
    try connection.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
    try connection.execute("SET search_path TO \(schema)")
    return connection
}

/// A clinic calendar for a test: in `directory` (file `name`), or, when
/// `TEST_CALENDAR_BACKEND=postgres` (the calendar suites' second run in `scripts/test.sh`),
/// in a fresh schema of the test server: the calendar's tests are then its shared suite on
/// both backends. `clinic()` is a connection of the clinic software's own.
package struct TestCalendar {
    package let location: CalendarLocation
    package let partner: EmbeddedPartner

    /// The backend this run of the calendar tests uses.
    package static let onPostgres = ProcessInfo.processInfo.environment["TEST_CALENDAR_BACKEND"] == "postgres"

    package init(in directory: TemporaryDirectory, name: String = "partner.sqlite") throws {
        location =
            Self.onPostgres
            ? .postgres(PostgresEndpoint(url: testServerURL ?? "postgresql:///missing", schema: newTestSchema("cal")))
            : .sqlite(path: directory.file(name))
        partner = try EmbeddedPartner(location: location)
    }

    /// A connection as clinic software opens it (its writes are clinic changes).
    package func clinic() throws -> any SQLConnection { try location.open(false) }
}
