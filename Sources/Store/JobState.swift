/// A job's state as operators see it. `retrying` includes a job whose lease expired
/// (its worker died: it is due again); `inFlight` is a job a worker holds now.
package enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case retrying
    case inFlight = "in-flight"
    case dead
    case done

    /// Every state but `done`: what is still waiting, running or failed.
    package static let open: Set<JobState> = [.pending, .retrying, .inFlight, .dead]

    /// Jobs in these states can be deleted by an operator: nobody works on them. In-flight
    /// jobs belong to a worker; done jobs remember dedup keys.
    package static let purgeable: Set<JobState> = [.pending, .retrying, .dead]

    /// The SQL expression giving a row's operator state (`?1` is the current time).
    static let sqlExpression = """
        (CASE state WHEN 'retry' THEN 'retrying'
                    WHEN 'inflight' THEN (CASE WHEN lease_until <= ?1 THEN 'retrying' ELSE 'in-flight' END)
                    ELSE state END)
        """
}
