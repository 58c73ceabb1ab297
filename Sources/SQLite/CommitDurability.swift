/// Whether a transaction's commit waits for the disk.
package enum CommitDurability: Sendable {
    /// On disk when the commit returns (`synchronous=FULL`, the connection's setting).
    case fullSync
    /// Written to the WAL but not flushed by this commit: a crash of the process keeps it, a
    /// power loss may drop it. For writes that are safe to lose and redo (a job's lease,
    /// the outcome of an event the calendar already recorded as applied).
    case deferredSync
}
