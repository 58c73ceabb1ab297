/// What SQLite refused, with enough context to find the statement.
package enum SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite reported an error; `code` is the extended result code.
    case sqlite(code: Int32, message: String, context: String)
    /// The database was written by a newer dpbridge (its schema version is higher).
    case futureSchema(found: Int, supported: Int, path: String)
    /// PostgreSQL, behind the same `SQLConnection`, refused a statement or lost its
    /// connection (`sqlState` five characters; `08…` for a lost connection).
    case postgres(sqlState: String, message: String)

    package var description: String {
        switch self {
        case .sqlite(let code, let message, let context):
            "\(context): SQLite error \(code): \(message)"
        case .futureSchema(let found, let supported, let path):
            "\(path) has schema version \(found) but this dpbridge supports up to \(supported): "
                + "it was written by a newer dpbridge; upgrade dpbridge (do not downgrade over a newer store)"
        case .postgres(let state, let message):
            "PostgreSQL \(state): \(message)"
        }
    }
}
