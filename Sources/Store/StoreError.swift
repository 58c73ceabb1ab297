import SQLite

/// What went wrong in the store, with what to do about it.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite reported an error; `code` is the extended result code.
    case sqlite(code: Int32, message: String, context: String)
    /// The database was written by a newer dpbridge (its schema version is higher).
    case futureSchema(found: Int, supported: Int, path: String)
    /// The store was closed.
    case closed
    /// No job with this id in the queue.
    case noSuchJob(Int64)
    /// The job exists but its state does not allow the operation (a job in flight cannot
    /// be purged, a done job cannot be retried).
    case jobInState(id: Int64, state: JobState)
    /// No quarantined body with this id.
    case noSuchQuarantined(Int64)
    /// PostgreSQL refused a statement or the connection failed (`sqlState` five
    /// characters; `08…` for a lost connection).
    case postgres(sqlState: String, message: String)

    package var description: String {
        switch self {
        case .sqlite(let code, let message, let context):
            "\(context): SQLite error \(code): \(message)"
        case .futureSchema(let found, let supported, let path):
            "\(path) has schema version \(found) but this dpbridge supports up to \(supported): "
                + "it was written by a newer dpbridge; upgrade dpbridge (do not downgrade over a newer store)"
        case .closed:
            "the store is closed"
        case .noSuchJob(let id):
            "no job \(id)"
        case .jobInState(let id, let state):
            "job \(id) is \(state.rawValue), which does not allow this"
        case .noSuchQuarantined(let id):
            "no quarantined body \(id)"
        case .postgres(let state, let message):
            "PostgreSQL \(state): \(message)"
        }
    }

    /// The store's view of a failure of the SQLite wrapper.
    package init(_ error: SQLiteError) {
        switch error {
        case .sqlite(let code, let message, let context): self = .sqlite(code: code, message: message, context: context)
        case .futureSchema(let found, let supported, let path):
            self = .futureSchema(found: found, supported: supported, path: path)
        case .postgres(let state, let message): self = .postgres(sqlState: state, message: message)
        }
    }
}
