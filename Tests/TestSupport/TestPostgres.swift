import Foundation
import Postgres

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
