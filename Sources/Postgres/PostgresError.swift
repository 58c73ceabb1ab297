/// Why a PostgreSQL call failed: the server's SQLSTATE and message, or a connection that
/// could not be made or was lost. Never holds a password: connection texts are redacted.
package enum PostgresError: Error, Equatable, CustomStringConvertible {
    /// The server refused a statement: `sqlState` is its five-character code
    /// (`23505` a unique violation, `40001` a serialization failure, …).
    case server(sqlState: String, message: String)
    /// No connection: unreachable, refused, wrong credentials (libpq's message).
    case connection(String)
    /// A parameter or a result could not be passed as text (never expected from libpq).
    case protocolViolation(String)

    package var description: String {
        switch self {
        case .server(let state, let message): "PostgreSQL \(state): \(message)"
        case .connection(let message): "cannot connect to PostgreSQL: \(message)"
        case .protocolViolation(let message): "PostgreSQL: \(message)"
        }
    }

    /// A unique or primary-key constraint refused the row.
    package var isUniqueViolation: Bool { if case .server("23505", _) = self { true } else { false } }

    /// The connection is gone (the server stopped, the network failed): a new one may work.
    package var isConnectionLoss: Bool {
        switch self {
        case .connection: true
        case .server(let state, _): state.hasPrefix("08") || state == "57P01"
        case .protocolViolation: false
        }
    }
}
