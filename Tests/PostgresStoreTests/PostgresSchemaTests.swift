import Foundation
import Postgres
import PostgresStore
import Store
import Synchronization
import Testing

/// `PostgresSchema.migrate`: once per version however many instances start at once, and a
/// database migrated by a newer dpbridge refused.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct PostgresSchemaTests {
    /// A connection working in `schema` (made first: concurrent `CREATE SCHEMA IF NOT
    /// EXISTS` may collide).
    private func connection(_ schema: String) throws -> PostgresConnection {
        let connection = try PostgresConnection(url: testServerURL!)
        try connection.execute("SET search_path TO \(schema)")
        return connection
    }

    @Test func instancesStartingAtOnceMigrateOnceAndANewerSchemaIsRefused() throws {
        let schema = "m_\(UInt32.random(in: 0...UInt32.max))"
        try PostgresConnection(url: testServerURL!).execute("CREATE SCHEMA \(schema)")
        let found = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let version = try PostgresSchema.migrate(try connection(schema))
                found.withLock { $0.append(version) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        // One of them found an empty database; the others, waiting on the lock, found it migrated.
        #expect(found.withLock { $0 }.sorted() == [0] + Array(repeating: PostgresSchema.migrations.count, count: 3))
        let checker = try connection(schema)
        let versions = try checker.execute("SELECT count(*) AS n FROM dpbridge_schema")
        #expect(versions.integer(0, "n") == Int64(PostgresSchema.migrations.count))

        try checker.execute("INSERT INTO dpbridge_schema (version) VALUES (99)")
        #expect(
            throws: StoreError.futureSchema(
                found: 99, supported: PostgresSchema.migrations.count, path: "the PostgreSQL store")
        ) {
            try PostgresSchema.migrate(try connection(schema))
        }
    }
}
