import Foundation
import SQLite
import TestSupport
import Testing

@Suite struct NewDatabaseFileTests {
    static let schema = Migrator(migrations: [
        "CREATE TABLE a (x INTEGER PRIMARY KEY, y TEXT)",
        "ALTER TABLE a ADD COLUMN z TEXT; CREATE TRIGGER a_z AFTER INSERT ON a BEGIN UPDATE a SET z = 'set' WHERE x = new.x; END",
    ])

    @Test func aMissingFileIsMadeWholeAtTheLatestVersionInWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("new.sqlite")
        let database = try Database(path: path, schema: Self.schema, incrementalVacuumIfNew: true)
        #expect(try database.scalar("PRAGMA user_version") == 2)
        #expect(try database.scalar("PRAGMA auto_vacuum") == 2)  // incremental
        let mode = try database.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        mode.reset()
        try database.execute("INSERT INTO a (x, y) VALUES (1, 'one')")
        let row = try database.prepare("SELECT y, z FROM a WHERE x = 1")
        #expect(try row.step() && row.text(0) == "one" && row.text(1) == "set")
        row.reset()
        // Nothing but the file and SQLite's own WAL files is left in the directory.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.filter { !$0.hasPrefix("new.sqlite") || $0.contains(".creating.") }.isEmpty, "\(names)")
        #expect(names.contains("new.sqlite"))
    }

    @Test func filesMadeFromTheSameSchemaAreIndependentCopies() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Database(path: directory.file("first.sqlite"), schema: Self.schema)
        let second = try Database(path: directory.file("second.sqlite"), schema: Self.schema)
        try first.execute("INSERT INTO a (x, y) VALUES (1, 'first only')")
        #expect(try first.scalar("SELECT count(*) FROM a") == 1)
        #expect(try second.scalar("SELECT count(*) FROM a") == 0)
        #expect(
            try second.scalar("SELECT count(*) FROM sqlite_master")
                == first.scalar("SELECT count(*) FROM sqlite_master"))
        #expect(try second.scalar("PRAGMA auto_vacuum") != 2)  // incremental not asked for
        let check = try second.prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.text(0) == "ok")
        check.reset()
    }

    @Test func anExistingFileIsOpenedAndMigratedNotReplaced() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        do {
            let old = try Database(path: path)
            try Migrator(migrations: Array(Self.schema.migrations.prefix(1))).migrate(old)
            try old.execute("INSERT INTO a (x, y) VALUES (7, 'kept')")
        }
        let database = try Database(path: path, schema: Self.schema)
        #expect(try database.scalar("PRAGMA user_version") == 2)
        let row = try database.prepare("SELECT y FROM a WHERE x = 7")
        #expect(try row.step() && row.text(0) == "kept")
        row.reset()
    }

    @Test func aCopyLeftByADeadProcessIsRemovedAndALiveOnesKept() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()  // reaped: its pid names no process now
        let dead = directory.file("c.sqlite.creating.\(exited.processIdentifier).0")
        let live = directory.file("c.sqlite.creating.1.0")  // pid 1 is alive
        for file in [dead, live] { #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8))) }
        _ = try Database(path: directory.file("c.sqlite"), schema: Self.schema)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    @Test func aMissingDirectoryIsNamedInTheError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent/x.sqlite")
        do {
            _ = try Database(path: path, schema: Self.schema)
            Issue.record("opened a file in a directory that does not exist")
        } catch {
            #expect(error.description.contains(path), "\(error)")
        }
    }

    @Test func aBrokenSchemaMakesNoFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("broken.sqlite")
        let broken = Migrator(migrations: ["CREATE TABLE a (x INTEGER); INSERT INTO nowhere VALUES (1)"])
        #expect(throws: SQLiteError.self) { _ = try Database(path: path, schema: broken) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
