/// Whether the daemon was running when a report was made.
package enum DaemonState: String, Codable, Sendable, Equatable {
    case running
    case stopped
}
