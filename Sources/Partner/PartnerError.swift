/// Why the partner system could not take a change. `unavailable` is worth retrying
/// (the partner is down, the database is locked); `rejected` is not.
package enum PartnerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unavailable(String)
    case rejected(String)

    package var isRetryable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .unavailable(let reason): "partner system unavailable: \(reason)"
        case .rejected(let reason): "partner system rejected the change: \(reason)"
        }
    }
}
