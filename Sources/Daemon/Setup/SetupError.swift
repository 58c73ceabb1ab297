/// Why `dpbridge init` could not finish, in one line.
package enum SetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system's random source failed.
    case random(String)
    /// A file or directory could not be read, created or written.
    case file(path: String, reason: String)
    /// An answer is not acceptable (`--domain`, `--client-id`, …).
    case invalid(what: String, reason: String)
    /// An existing secret differs from the one given, and `--rotate` was not.
    case wouldReplaceSecret(path: String)

    package var description: String {
        switch self {
        case .random(let reason): "cannot read the system's random source: \(reason)"
        case .file(let path, let reason): "\(path): \(reason)"
        case .invalid(let what, let reason): "\(what): \(reason)"
        case .wouldReplaceSecret(let path):
            "\(path) already holds another secret; pass --rotate to replace it (and make new callback and admin secrets)"
        }
    }
}
