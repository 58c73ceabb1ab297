import Foundation
import SQLite
import TestSupport
import Testing

/// `Database.keepWALOnClose`: closing the last connection leaves the WAL and the file as
/// they are, and nothing committed is lost.
@Suite struct KeepWALOnCloseTests {
    static let schema = Migrator(migrations: ["CREATE TABLE a (x INTEGER PRIMARY KEY, y TEXT)"])

    func modificationAndSize(_ path: String) throws -> (Date, Int) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (
            try #require(attributes[.modificationDate] as? Date), try #require(attributes[.size] as? Int)
        )
    }

    @Test func closingWritesNothingAndTheNextOpenSeesEveryCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("calendar.sqlite")
        var database: Database? = try Database(path: path, schema: Self.schema)
        try database?.keepWALOnClose()
        try database?.execute("INSERT INTO a (x, y) VALUES (1, 'one')")
        let file = try modificationAndSize(path)
        let wal = try modificationAndSize(path + "-wal")
        #expect(wal.1 > 0)
        database = nil  // the process's only connection
        #expect(try modificationAndSize(path) == file, "no checkpoint into the file")
        #expect(try modificationAndSize(path + "-wal") == wal, "the WAL is kept, not deleted or truncated")
        let reopened = try Database(path: path, schema: Self.schema)
        #expect(try reopened.scalar("SELECT count(*) FROM a WHERE y = 'one'") == 1)
    }

    @Test func withoutItTheLastCloseCheckpointsAndDeletesTheWAL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        var database: Database? = try Database(path: path, schema: Self.schema)
        try database?.execute("INSERT INTO a (x, y) VALUES (1, 'one')")
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        database = nil
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
