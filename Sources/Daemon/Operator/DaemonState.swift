/// Whether the daemon was running when a report was made.
public enum DaemonState: String, Codable, Sendable, Equatable {
    case running
    case stopped
}
