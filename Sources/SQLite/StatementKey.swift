/// A statement cache's key: the SQL text, hashed by its length and its first and last 32
/// bytes rather than all of it. Statements are looked up by their text on every use, and
/// hashing a whole upsert (a kilobyte) on each event showed in profiles; texts that share
/// those bytes still compare whole, and the same literal compares by its storage first.
package struct StatementKey: Hashable {
    package let sql: String

    package init(_ sql: String) { self.sql = sql }

    package func hash(into hasher: inout Hasher) {
        var sql = sql
        sql.withUTF8 { bytes in
            hasher.combine(bytes.count)
            let ends = 32
            guard bytes.count > 2 * ends else { return hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(ends))))
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(ends))))
        }
    }
}
