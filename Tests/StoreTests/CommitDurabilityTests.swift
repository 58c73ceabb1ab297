import Foundation
import SQLite
import TestSupport
import Testing

/// `Database.transaction(durability:)`: a `.deferredSync` transaction commits with
/// `synchronous=NORMAL`, and the connection is back at `FULL` after it, whether it
/// committed or rolled back.
@Suite struct CommitDurabilityTests {
    static let schema = Migrator(migrations: ["CREATE TABLE a (x INTEGER PRIMARY KEY)"])

    @Test func deferredSyncHoldsForOneTransactionOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        let database = try Database(path: path, schema: Self.schema)
        #expect(try database.scalar("PRAGMA synchronous") == 2)
        let inside = try database.transaction(
            durability: .deferredSync,
            { () throws(SQLiteError) -> Int64 in
                try database.execute("INSERT INTO a (x) VALUES (1)")
                return try database.scalar("PRAGMA synchronous")
            }, failure: { $0 })
        #expect(inside == 1)
        #expect(try database.scalar("PRAGMA synchronous") == 2)
        // Again: the level is set anew for each transaction.
        let again = try database.transaction(
            durability: .deferredSync,
            { () throws(SQLiteError) -> Int64 in try database.scalar("PRAGMA synchronous") }, failure: { $0 })
        #expect(again == 1)
        #expect(try database.scalar("PRAGMA synchronous") == 2)
        // Committed: another connection sees it.
        let other = try Database(path: path, schema: Self.schema)
        #expect(try other.scalar("SELECT count(*) FROM a") == 1)

        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try database.transaction(
                durability: .deferredSync,
                { () throws(Refused) in
                    try? database.execute("INSERT INTO a (x) VALUES (2)")
                    throw Refused()
                }, failure: { _ in Refused() })
        }
        #expect(try database.scalar("PRAGMA synchronous") == 2)
        #expect(try other.scalar("SELECT count(*) FROM a") == 1, "rolled back")
        // The default stays a full sync.
        let fullInside = try database.transaction { () throws(SQLiteError) -> Int64 in
            try database.scalar("PRAGMA synchronous")
        }
        #expect(fullInside == 2)
    }
}
