/// Versions dpbridge reports.
package enum DaemonVersion {
    /// dpbridge's own version.
    package static let current = "0.1.0"
    /// The version of the Docplanner Integrations API document the client follows.
    package static let docplannerAPI = "1.14.0"
}
