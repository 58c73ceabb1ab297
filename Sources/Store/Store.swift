import Foundation

/// dpbridge's durable state in one SQLite file: the inbox (Docplanner → partner), the
/// outbox (partner → Docplanner) and the quarantine. An enqueue completes only after
/// its transaction is on disk, so an acknowledged event survives any crash.
public final class Store: Sendable {
    public let path: String
    /// Events from Docplanner, to apply to the partner system.
    public let inbox: JobQueue
    /// Changes from the partner system, to send to Docplanner.
    public let outbox: JobQueue
    /// Authenticated callback bodies that could not be parsed.
    public let quarantine: Quarantine
    /// Answers given to Docplanner's blocking questions.
    public let decisions: Decisions
    /// Docplanner's resources as discovered, and their partner ids.
    public let mappings: Mappings
    /// Facts kept across restarts (the time of the last ping).
    public let values: StoreValues
    private let writer: GroupCommitWriter
    private let control: ControlConnection
    private let clock: any StoreClock

    /// Opens (or creates) the store at `path`, migrates its schema, and starts the writer.
    /// Throws `StoreError.futureSchema` for a database written by a newer dpbridge.
    /// `maxBatchSize` bounds how many enqueues share one commit; leave it unbounded except
    /// to measure the cost of committing each enqueue alone. `outcomeObserver` hears of
    /// each job outcome recorded in either queue.
    public init(
        path: String, clock: any StoreClock = SystemClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        quarantineLimit: Int = 1000, maxBatchSize: Int = Int.max, outcomeObserver: JobOutcomeObserver? = nil
    ) throws(StoreError) {
        self.path = path
        self.clock = clock
        let writerDatabase = try Database(path: path)
        try StoreSchema.migrator.migrate(writerDatabase)
        let controlDatabase = try Database(path: path)
        writer = GroupCommitWriter(
            database: writerDatabase, quarantineLimit: max(1, quarantineLimit), maxBatchSize: maxBatchSize)
        control = ControlConnection(controlDatabase)
        inbox = JobQueue(
            table: .inbox, writer: writer, control: control, clock: clock, retryPolicy: retryPolicy,
            outcomeObserver: outcomeObserver)
        outbox = JobQueue(
            table: .outbox, writer: writer, control: control, clock: clock, retryPolicy: retryPolicy,
            outcomeObserver: outcomeObserver)
        quarantine = Quarantine(writer: writer, control: control, clock: clock)
        decisions = Decisions(writer: writer, control: control)
        mappings = Mappings(control: control, clock: clock)
        values = StoreValues(writer: writer, control: control, clock: clock)
        writer.start()
    }

    /// The inbox or the outbox.
    public func queue(_ name: QueueName) -> JobQueue {
        name == .inbox ? inbox : outbox
    }

    /// The schema version this binary writes.
    public static var schemaVersion: Int { StoreSchema.migrator.latestVersion }

    /// Jobs per state, for status and metrics.
    public func counts() throws(StoreError) -> StoreCounts {
        let now = clock.now()
        return try control.with { database throws(StoreError) in
            var counts = StoreCounts()
            counts.inbox = try inbox.counts(database, now: now)
            counts.outbox = try outbox.counts(database, now: now)
            counts.quarantined = Int(try database.scalar("SELECT COUNT(*) FROM quarantine"))
            return counts
        }
    }

    /// Commits what is pending, stops the writer, and closes the connections.
    /// Later enqueues fail with `StoreError.closed`.
    public func close() {
        writer.stop()
        control.close()
    }
}
