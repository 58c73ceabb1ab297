import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

@Suite struct MigrationTests {
    @Test func migrationsRunInOrderOnceEach() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("m.sqlite"))
        let v1 = Migrator(migrations: ["CREATE TABLE a (x INTEGER)"])
        try v1.migrate(database)
        #expect(try database.scalar("PRAGMA user_version") == 1)
        let v2 = Migrator(migrations: ["CREATE TABLE a (x INTEGER)", "ALTER TABLE a ADD COLUMN y TEXT"])
        try v2.migrate(database)
        try v2.migrate(database)  // nothing left to do
        #expect(try database.scalar("PRAGMA user_version") == 2)
        try database.execute("INSERT INTO a (x, y) VALUES (1, 'ok')")
    }

    @Test func failingMigrationLeavesTheVersionAndDataUntouched() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("m.sqlite"))
        try Migrator(migrations: ["CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (7)"]).migrate(database)
        let broken = Migrator(migrations: [
            "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (7)",
            "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)",
        ])
        #expect(throws: SQLiteError.self) { try broken.migrate(database) }
        #expect(try database.scalar("PRAGMA user_version") == 1)
        #expect(try database.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'") == 0)
        #expect(try database.scalar("SELECT x FROM a") == 7)
    }

    @Test func pendingMigrationsCommitTogetherOrNotAtAll() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("m.sqlite"))
        let broken = Migrator(migrations: [
            "CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)", "INSERT INTO nowhere VALUES (1)",
        ])
        #expect(throws: SQLiteError.self) { try broken.migrate(database) }
        #expect(try database.scalar("PRAGMA user_version") == 0)
        #expect(try database.scalar("SELECT COUNT(*) FROM sqlite_master") == 0, "no step of a failed run stays")
        try Migrator(migrations: ["CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)"]).migrate(database)
        #expect(try database.scalar("PRAGMA user_version") == 2)
        #expect(try database.scalar("SELECT COUNT(*) FROM sqlite_master") == 2)
    }

    @Test func databaseFromTheFutureIsRefusedWithAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("future.sqlite")
        do {
            let database = try Database(path: path)
            try database.execute("PRAGMA user_version = \(Store.schemaVersion + 5)")
        }
        do {
            _ = try Store(path: path)
            Issue.record("a newer store must not open")
        } catch {
            #expect(error == .futureSchema(found: Store.schemaVersion + 5, supported: Store.schemaVersion, path: path))
            #expect(error.description.contains("written by a newer dpbridge"))
        }
    }

    @Test func sqliteErrorsCarryCodeAndMessage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("e.sqlite"))
        do {
            try database.execute("SELECT * FROM missing_table")
            Issue.record("expected an error")
        } catch {
            guard case .sqlite(let code, let message, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(code == 1)
            #expect(message.contains("no such table"))
        }
    }

    @Test func typedBindingRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("b.sqlite"))
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        try database.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
            .run([.integer(Int64.max), .real(1.5), .text("zażółć"), .blob([0, 255, 7]), .null])
        let select = try database.prepare("SELECT i, r, s, b, n FROM t")
        #expect(try select.step())
        #expect(select.int64(0) == Int64.max)
        #expect(select.double(1) == 1.5)
        #expect(select.text(2) == "zażółć")
        #expect(select.blob(3) == [0, 255, 7])
        #expect(select.isNull(4))
    }

    @Test func unopenablePathGivesATypedError() {
        #expect(throws: StoreError.self) { _ = try Store(path: "/nonexistent-dir/x/store.sqlite") }
    }
}
