import SQLite

extension SQLConnection {
    /// The first `columns` columns of each row `sql` gives (its parameters bound to
    /// `values`), as text ("NULL" for null): for tests that read a query plan (`EXPLAIN QUERY
    /// PLAN`, the detail in column 3), a program (`EXPLAIN`, the opcode in column 1) or rows.
    package func textRows(_ sql: String, columns: Int32, binding values: [StatementValue] = []) throws -> [[String]] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [[String]] = []
        while try statement.step() {
            rows.append((0..<columns).map { statement.text($0) ?? "NULL" })
        }
        return rows
    }
}
