import Foundation
import Postgres
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing

/// `PostgresSchema.migrate`: once per version however many instances start at once, and a
/// database migrated by a newer dpbridge refused.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct PostgresSchemaTests {
    @Test func instancesStartingAtOnceMigrateOnceAndANewerSchemaIsRefused() throws {
        let schema = newTestSchema("m")
        // Made before the four start: concurrent `CREATE SCHEMA IF NOT EXISTS` may collide.
        let checker = try testPostgresConnection(schema: schema)
        let found = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let version = try PostgresSchema.migrate(try testPostgresConnection(schema: schema))
                found.withLock { $0.append(version) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        // One of them found an empty database; the others, waiting on the lock, found it migrated.
        #expect(found.withLock { $0 }.sorted() == [0] + Array(repeating: PostgresSchema.migrations.count, count: 3))
        let versions = try checker.execute("SELECT count(*) AS n FROM dpbridge_schema")
        #expect(versions.integer(0, "n") == Int64(PostgresSchema.migrations.count))

        try checker.execute("INSERT INTO dpbridge_schema (version) VALUES (99)")
        #expect(
            throws: StoreError.futureSchema(
                found: 99, supported: PostgresSchema.migrations.count, path: "the PostgreSQL store")
        ) {
            try PostgresSchema.migrate(try testPostgresConnection(schema: schema))
        }
    }

    /// `dpbridge migrate` migrates a tenant's store and calendar on one connection: each
    /// schema keeps its own version (the calendar's once read the store's).
    @Test func schemasMigratedOnOneConnectionEachKeepTheirVersion() throws {
        let connection = try PostgresConnection(url: testServerURL!)
        let store = newTestSchema("ms")
        let calendar = newTestSchema("mc")
        #expect(try PostgresSchema.migrate(connection, schema: store) == 0)
        #expect(
            try PostgresSchema.migrate(connection, schema: calendar, migrations: PostgresCalendarSchema.migrations) == 0
        )
        #expect(try PostgresSchema.migrate(connection, schema: store) == PostgresSchema.migrations.count)
        #expect(
            try PostgresSchema.migrate(connection, schema: calendar, migrations: PostgresCalendarSchema.migrations)
                == PostgresCalendarSchema.migrations.count)
        let tables = try connection.execute(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bookings'",
            [.text(calendar)])
        #expect(tables.integer(0, "n") == 1, "the calendar's tables are in its schema")
    }
}
