/// How long the store keeps what it no longer needs (`retention.days`,
/// `retention.quarantine_days`). Dead letters are not in it: they are work an operator
/// must look at, kept until replayed or purged.
package struct RetentionPolicy: Sendable, Equatable {
    /// Done jobs (their payloads) and blocking decisions older than this, in seconds, are deleted.
    package var finished: Double
    /// Quarantined callback bodies older than this, in seconds, are deleted.
    package var quarantine: Double

    package init(days: Int = 30, quarantineDays: Int = 7) {
        finished = Double(days) * 86_400
        quarantine = Double(quarantineDays) * 86_400
    }
}
