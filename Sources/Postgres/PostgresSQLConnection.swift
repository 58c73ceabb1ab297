import SQLite

/// A `SQLConnection` to PostgreSQL: the SQL the store and the clinic calendar write for
/// both databases, with SQLite's `?` and `?N` parameters rewritten to `$N`, values sent
/// and read as text, failures as `SQLiteError.postgres`. A connection the server or the
/// network dropped is made again (by `connect`) at the next statement; the statement that
/// found it dropped fails, and its caller retries as after any database failure.
package final class PostgresSQLConnection: SQLConnection {
    private let connect: () throws(PostgresError) -> PostgresConnection
    private var connection: PostgresConnection?
    private var statements: [StatementKey: PostgresSQLStatement] = [:]
    package private(set) var changes = 0

    /// `connect` makes a connection (with its `search_path`); one is made at once.
    package init(connect: @escaping () throws(PostgresError) -> PostgresConnection) throws(SQLiteError) {
        self.connect = connect
        _ = try connected()
    }

    package var dialect: SQLDialect { .postgres }

    private func connected() throws(SQLiteError) -> PostgresConnection {
        if let connection { return connection }
        do {
            let connection = try connect()
            self.connection = connection
            return connection
        } catch { throw error.sqlError }
    }

    /// Runs `sql` with `parameters`; a lost connection is forgotten (made again next time).
    func run(_ sql: String, _ parameters: [PostgresValue]) throws(SQLiteError) -> PostgresRows {
        let connection = try connected()
        do {
            let rows = try connection.execute(sql, parameters)
            changes = rows.affected
            return rows
        } catch {
            if case .connection = error { self.connection = nil }
            throw error.sqlError
        }
    }

    package func execute(_ sql: String) throws(SQLiteError) {
        let connection = try connected()
        do { try connection.executeScript(sql) } catch {
            if case .connection = error { self.connection = nil }
            throw error.sqlError
        }
    }

    package func statement(_ sql: String) throws(SQLiteError) -> any SQLStatement {
        if let statement = statements[StatementKey(sql)] {
            statement.reset()
            return statement
        }
        let statement = PostgresSQLStatement(connection: self, sql: Self.numberedParameters(sql))
        statements[StatementKey(sql)] = statement
        return statement
    }

    package func keptStatement(_ sql: String) throws(SQLiteError) -> any SQLStatement {
        PostgresSQLStatement(connection: self, sql: Self.numberedParameters(sql))
    }

    /// `.deferredSync` commits without waiting for the server's WAL flush
    /// (`synchronous_commit = off` for this transaction): as in SQLite, a crash of the
    /// server may drop such a commit, never corrupt anything.
    package func transaction<T, Failure: Error>(
        durability: CommitDurability, _ body: () throws(Failure) -> T, failure: (SQLiteError) -> Failure
    ) throws(Failure) -> T {
        do throws(SQLiteError) {
            _ = try run("BEGIN", [])
            if durability == .deferredSync { _ = try run("SET LOCAL synchronous_commit = off", []) }
        } catch {
            if connection != nil { _ = try? run("ROLLBACK", []) }
            throw failure(error)
        }
        do throws(Failure) {
            let result = try body()
            do throws(SQLiteError) { _ = try run("COMMIT", []) } catch { throw failure(error) }
            return result
        } catch {
            if connection != nil { _ = try? run("ROLLBACK", []) }
            throw error
        }
    }

    /// SQLite's parameters (`?`, `?N`) as PostgreSQL's (`$N`): a bare `?` is one more than
    /// the highest number so far, as SQLite counts. Quoted text and identifiers are left alone.
    package static func numberedParameters(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var highest = 0
        var quote: Character?
        var characters = sql.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                result.append(character)
            case "?":
                var digits = ""
                while let next = pending, next.isASCII, next.isNumber {
                    digits.append(next)
                    pending = characters.next()
                }
                let number = Int(digits) ?? (highest + 1)
                highest = max(highest, number)
                result.append("$\(number)")
            default:
                result.append(character)
            }
        }
        return result
    }
}

/// A statement of the PostgreSQL store: runs at its first `step` with the values bound, and
/// steps through the rows it returned.
final class PostgresSQLStatement: SQLStatement {
    private unowned let database: PostgresSQLConnection
    private let sql: String
    private var parameters: [PostgresValue] = []
    private var rows: PostgresRows?
    private var row = -1

    init(connection: PostgresSQLConnection, sql: String) {
        self.database = connection
        self.sql = sql
    }

    func reset() {
        parameters = []
        rows = nil
        row = -1
    }

    func bind(_ values: [StatementValue]) throws(SQLiteError) {
        parameters = values.map { value in
            switch value {
            case .integer(let number): .integer(number)
            case .real(let number): .real(number)
            case .text(let text): .text(text)
            case .blob(let bytes): .bytes(bytes)
            case .null: .null
            }
        }
    }

    func step() throws(SQLiteError) -> Bool {
        if rows == nil { rows = try database.run(sql, parameters) }
        row += 1
        return row < rows!.count
    }

    func run(_ values: [StatementValue]) throws(SQLiteError) {
        try bind(values)
        rows = try database.run(sql, parameters)
        reset()
    }

    private func value(_ column: Int32) -> String? {
        guard let rows, rows.rows.indices.contains(row), rows.columns.indices.contains(Int(column)) else { return nil }
        return rows.rows[row][Int(column)]
    }

    /// Integers, and booleans as 1 and 0 (SQLite's comparisons are integers).
    func int64(_ column: Int32) -> Int64 {
        guard let text = value(column) else { return 0 }
        if let number = Int64(text) { return number }
        switch text {
        case "t": return 1
        case "f": return 0
        default: return Double(text).map { Int64($0) } ?? 0
        }
    }

    func int(_ column: Int32) -> Int { Int(int64(column)) }
    func double(_ column: Int32) -> Double { value(column).flatMap(Double.init) ?? 0 }
    func isNull(_ column: Int32) -> Bool { value(column) == nil }
    func text(_ column: Int32) -> String? { value(column) }

    /// `bytea` in its hex form; any other column's text as its UTF-8 bytes.
    func blob(_ column: Int32) -> [UInt8] {
        guard let text = value(column) else { return [] }
        return PostgresRows.hexBytes(text) ?? Array(text.utf8)
    }
}

extension PostgresError {
    /// The failure as the SQL wrapper reports it.
    package var sqlError: SQLiteError {
        switch self {
        case .server(let state, let message): .postgres(sqlState: state, message: message)
        case .connection(let message): .postgres(sqlState: "08006", message: message)
        case .protocolViolation(let message): .postgres(sqlState: "08P01", message: message)
        }
    }
}
