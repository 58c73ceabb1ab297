/// Why the partner system could not take a change. `unavailable` is worth retrying
/// (the partner is down, the database is locked); `rejected` is not.
public enum PartnerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unavailable(String)
    case rejected(String)

    public var isRetryable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unavailable(let reason): "partner system unavailable: \(reason)"
        case .rejected(let reason): "partner system rejected the change: \(reason)"
        }
    }
}
