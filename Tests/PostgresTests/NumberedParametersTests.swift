import Postgres
import Testing

/// The store's SQL is written with SQLite's parameters; PostgreSQL gets `$N`, numbered as
/// SQLite numbers them, and quoted text is left alone.
@Suite struct NumberedParametersTests {
    @Test(arguments: [
        ("SELECT 1 FROM t WHERE a = ? AND b = ?", "SELECT 1 FROM t WHERE a = $1 AND b = $2"),
        ("WHERE ?1 IS NULL OR kind = ?1 LIMIT ?2", "WHERE $1 IS NULL OR kind = $1 LIMIT $2"),
        // A bare ? after ?3 is the fourth, as in SQLite.
        ("a = ?3, b = ?", "a = $3, b = $4"),
        ("x = '?' AND y = ?", "x = '?' AND y = $1"),
        ("\"odd?name\" = ? AND z = 'it''s ?'", "\"odd?name\" = $1 AND z = 'it''s ?'"),
        ("no parameters at all", "no parameters at all"),
    ])
    func rewrites(_ sqlite: String, _ postgres: String) {
        #expect(PostgresSQLConnection.numberedParameters(sqlite) == postgres)
    }
}
