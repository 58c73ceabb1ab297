import Foundation
import SQLite
import TestSupport
import Testing

/// A connection's statement cache hashes only the length and both ends of a statement's
/// text (`StatementKey`): texts that share those still get their own statements.
@Suite struct StatementCacheTests {
    @Test func textsAlikeAtBothEndsAreDifferentStatements() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file("cache.sqlite"))
        let ends = String(repeating: " ", count: 40)
        let one = "SELECT\(ends)1 + 100\(ends)"
        let two = "SELECT\(ends)2 + 100\(ends)"
        #expect(one.utf8.count == two.utf8.count)
        #expect(StatementKey(one).hashValue == StatementKey(two).hashValue)
        #expect(StatementKey(one) != StatementKey(two))
        for _ in 0..<3 {
            #expect(try database.scalar(one) == 101)
            #expect(try database.scalar(two) == 102)
        }
        // A text built at run time finds the statement its literal twin prepared.
        let built = "SELECT\(ends)\(1) + 100\(ends)"
        #expect(try database.prepare(built) === database.prepare(one))
    }
}
