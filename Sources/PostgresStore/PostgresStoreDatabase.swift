import Postgres
import SQLite
import Store

/// The store's connection to PostgreSQL (`StoreDatabase`): the store's SQL with SQLite's
/// `?` and `?N` parameters rewritten to `$N`, values sent and read as text. A connection
/// the server or the network dropped is made again at the next statement outside a
/// transaction (the statement that found it dropped fails: its caller retries, as after
/// any store failure).
final class PostgresStoreDatabase: StoreDatabase {
    private let endpoint: PostgresEndpoint
    private var connection: PostgresConnection?
    private var statements: [String: PostgresStoreStatement] = [:]
    private var inTransaction = false
    private(set) var changes = 0

    init(endpoint: PostgresEndpoint, migrating: Bool) throws(StoreError) {
        self.endpoint = endpoint
        let connection = try connected()
        if migrating { try PostgresSchema.migrate(connection, schema: endpoint.schema) }
    }

    var dialect: SQLDialect { .postgres }

    private func connected() throws(StoreError) -> PostgresConnection {
        if let connection { return connection }
        do {
            let connection = try endpoint.connect()
            self.connection = connection
            return connection
        } catch { throw StoreError(error) }
    }

    /// Runs `sql` with `parameters`; a lost connection is forgotten (made again next time).
    func run(_ sql: String, _ parameters: [PostgresValue]) throws(StoreError) -> PostgresRows {
        let connection = try connected()
        do {
            let rows = try connection.execute(sql, parameters)
            changes = rows.affected
            return rows
        } catch {
            if case .connection = error { self.connection = nil }
            throw StoreError(error)
        }
    }

    func execute(_ sql: String) throws(StoreError) {
        let connection = try connected()
        do { try connection.executeScript(sql) } catch {
            if case .connection = error { self.connection = nil }
            throw StoreError(error)
        }
    }

    func prepare(_ sql: String) throws(StoreError) -> any StoreStatement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = PostgresStoreStatement(database: self, sql: Self.numberedParameters(sql))
        statements[sql] = statement
        return statement
    }

    func prepareKept(_ sql: String) throws(StoreError) -> any StoreStatement {
        PostgresStoreStatement(database: self, sql: Self.numberedParameters(sql))
    }

    /// `.deferredSync` commits without waiting for the server's WAL flush
    /// (`synchronous_commit = off` for this transaction): as in SQLite, a crash of the
    /// server may drop such a commit, never corrupt anything.
    func transaction<T>(durability: CommitDurability, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        _ = try run("BEGIN", [])
        inTransaction = true
        defer { inTransaction = false }
        do {
            if durability == .deferredSync { _ = try run("SET LOCAL synchronous_commit = off", []) }
            let result = try body()
            _ = try run("COMMIT", [])
            return result
        } catch {
            if connection != nil { _ = try? run("ROLLBACK", []) }
            throw error
        }
    }

    /// SQLite's parameters (`?`, `?N`) as PostgreSQL's (`$N`): a bare `?` is one more than
    /// the highest number so far, as SQLite counts. Quoted text and identifiers are left alone.
    static func numberedParameters(_ sql: String) -> String {
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
final class PostgresStoreStatement: StoreStatement {
    private unowned let database: PostgresStoreDatabase
    private let sql: String
    private var parameters: [PostgresValue] = []
    private var rows: PostgresRows?
    private var row = -1

    init(database: PostgresStoreDatabase, sql: String) {
        self.database = database
        self.sql = sql
    }

    func reset() {
        parameters = []
        rows = nil
        row = -1
    }

    func bind(_ values: [StatementValue]) throws(StoreError) {
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

    func step() throws(StoreError) -> Bool {
        if rows == nil { rows = try database.run(sql, parameters) }
        row += 1
        return row < rows!.count
    }

    func run(_ values: [StatementValue]) throws(StoreError) {
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

    func double(_ column: Int32) -> Double { value(column).flatMap(Double.init) ?? 0 }
    func isNull(_ column: Int32) -> Bool { value(column) == nil }
    func text(_ column: Int32) -> String? { value(column) }

    /// `bytea` in its hex form; any other column's text as its UTF-8 bytes.
    func blob(_ column: Int32) -> [UInt8] {
        guard let text = value(column) else { return [] }
        return PostgresRows.hexBytes(text) ?? Array(text.utf8)
    }
}
