internal import CPostgres
import Glibc

/// One PostgreSQL connection through libpq (Debian's `libpq5`), blocking, as the daemon's
/// threads use SQLite: not thread-safe, each connection belongs to one thread or is
/// guarded by its owner's lock. Parameters and results travel as text. Closed in `deinit`.
package final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects to `url` (`postgresql://user:password@host:port/database?…`, or libpq's
    /// `key=value` form). Throws `.connection` with libpq's reason when no connection is
    /// made; the URL, which may hold a password, is not repeated in it.
    /// Unless the URL says otherwise, a connection attempt gives up after 5 s, and TCP
    /// keepalives find a vanished server within ~11 s (5 s idle, then 3 probes 2 s apart)
    /// instead of the system's two hours: a daemon whose database went away says so in
    /// seconds (`/health` answers 503, the load balancer sends traffic elsewhere).
    package init(url: String) throws(PostgresError) {
        // Keywords first, the URL last: what the URL sets wins (`expand_dbname`).
        let settings = [
            ("connect_timeout", "5"), ("keepalives_idle", "5"), ("keepalives_interval", "2"),
            ("keepalives_count", "3"), ("dbname", url),
        ]
        let keywords = settings.map { strdup($0.0) }
        let values = settings.map { strdup($0.1) }
        defer { for pointer in keywords + values { free(pointer) } }
        let connection: OpaquePointer? = (keywords + [nil]).map { UnsafePointer($0) }.withUnsafeBufferPointer {
            keywordList in
            (values + [nil]).map { UnsafePointer($0) }.withUnsafeBufferPointer { valueList in
                PQconnectdbParams(keywordList.baseAddress, valueList.baseAddress, 1)
            }
        }
        guard let connection else { throw .connection("out of memory") }
        // The server's notices ("schema … already exists, skipping") are not for the
        // daemon's stderr: libpq's default prints each one there.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.message(PQerrorMessage(connection))
            PQfinish(connection)
            throw .connection(reason)
        }
        handle = connection
    }

    deinit { PQfinish(handle) }

    /// The server's major version (150018 → 15).
    package var serverMajorVersion: Int { Int(PQserverVersion(handle)) / 10000 }

    /// Runs one statement with `$1`, `$2`, … bound to `parameters`; its rows, if any.
    @discardableResult
    package func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRows {
        let texts = parameters.map(\.text)
        let copies: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let result: OpaquePointer? = copies.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        return try rows(of: result)
    }

    /// Runs a script of one or more statements without parameters (migrations).
    package func executeScript(_ sql: String) throws(PostgresError) {
        _ = try rows(of: PQexec(handle, sql))
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` when it returns, `ROLLBACK`
    /// when it throws.
    package func transaction<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rows of `result` (cleared here), or the server's or the connection's error.
    private func rows(of result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else { throw .connection(Self.message(PQerrorMessage(handle))) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let columnCount = PQnfields(result)
            let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
            let rows = (0..<PQntuples(result)).map { row in
                (0..<columnCount).map { column -> String? in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return PostgresRows(columns: columns, rows: rows, affected: affected)
        default:
            if PQstatus(handle) != CONNECTION_OK { throw .connection(Self.message(PQerrorMessage(handle))) }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "XX000"
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            throw .server(sqlState: state, message: primary ?? Self.message(PQresultErrorMessage(result)))
        }
    }

    /// libpq's message as one line.
    private static func message(_ text: UnsafeMutablePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
