/// Versions dpbridge reports.
public enum DaemonVersion {
    /// dpbridge's own version.
    public static let current = "0.1.0"
    /// The version of the Docplanner Integrations API document the client follows.
    public static let docplannerAPI = "1.14.0"
}
