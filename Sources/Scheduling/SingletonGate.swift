/// Whether this instance runs a singleton part now (the hourly release, reconciliation,
/// the mapping watch, …) where several instances share one store: exactly one of them
/// holds each singleton at a time, and another takes it over when the holder dies. One
/// instance alone (SQLite) has no gate: it runs every part.
package protocol SingletonGate: Sendable {
    /// Whether this instance holds the singleton after the call: held it already, or took
    /// it now. Never blocks for long; false when the holder cannot be asked.
    func tryHold() -> Bool
    /// Lets the singleton go (at stop), for another instance to take at once.
    func release()
}
