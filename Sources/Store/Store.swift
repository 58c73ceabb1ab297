import Foundation
import SQLite
import Scheduling

/// dpbridge's durable state, in one SQLite file or in a PostgreSQL schema shared by several
/// instances (`StoreLocation`): the inbox (Docplanner → partner), the outbox (partner →
/// Docplanner) and the quarantine. An enqueue completes only after its transaction is
/// durable, so an acknowledged event survives any crash. In SQLite deleted rows are
/// overwritten (`PRAGMA secure_delete`): patients' data does not linger in free pages.
package final class Store: Sendable {
    /// The SQLite file's path, or the PostgreSQL store's description (no password).
    package let path: String
    /// Which database holds the store.
    package let dialect: SQLDialect
    /// Events from Docplanner, to apply to the partner system.
    package let inbox: JobQueue
    /// Changes from the partner system, to send to Docplanner.
    package let outbox: JobQueue
    /// Authenticated callback bodies that could not be parsed.
    package let quarantine: Quarantine
    /// Answers given to Docplanner's blocking questions.
    package let decisions: Decisions
    /// Docplanner's resources as discovered, and their partner ids.
    package let mappings: Mappings
    /// Facts kept across restarts (the time of the last ping).
    package let values: StoreValues
    private let writer: GroupCommitWriter
    let control: ControlConnection
    let clock: any StoreClock

    /// Opens (or creates) the store at `path`, migrates its schema, and starts the writer.
    /// Throws `StoreError.futureSchema` for a database written by a newer dpbridge.
    /// `maxBatchSize` bounds how many enqueues share one commit; leave it unbounded except
    /// to measure the cost of committing each enqueue alone. `outcomeObserver` hears of
    /// each job outcome recorded in either queue. Commits run on `commits` (shared by
    /// every store of the process by default). The connection for claims and reads may be
    /// closed between uses by `connections`; the writer's stays open (the ping uses it
    /// every five minutes, and its statements are kept). `commitDelay`: while writes keep
    /// coming, seconds those after a commit wait for others (`store.commit_delay_ms`).
    package convenience init(
        path: String, clock: any StoreClock = SystemClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        quarantineLimit: Int = 1000, maxBatchSize: Int = Int.max, commitDelay: Double = 0,
        outcomeObserver: JobOutcomeObserver? = nil, commits: WorkScheduler = .commits,
        connections: OpenConnections = .shared
    ) throws(StoreError) {
        try self.init(
            location: .sqlite(path: path), clock: clock, retryPolicy: retryPolicy, quarantineLimit: quarantineLimit,
            maxBatchSize: maxBatchSize, commitDelay: commitDelay, outcomeObserver: outcomeObserver, commits: commits,
            connections: connections)
    }

    /// Opens the store at `location` (a SQLite file or a PostgreSQL schema); otherwise as
    /// `init(path:…)`.
    package init(
        location: StoreLocation, clock: any StoreClock = SystemClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        quarantineLimit: Int = 1000, maxBatchSize: Int = Int.max, commitDelay: Double = 0,
        outcomeObserver: JobOutcomeObserver? = nil, commits: WorkScheduler = .commits,
        connections: OpenConnections = .shared
    ) throws(StoreError) {
        self.path = location.description
        self.dialect = location.dialect
        self.clock = clock
        // The writer's connection migrates the schema. A new SQLite store gives the pages of
        // deleted rows back to the file system (`PRAGMA incremental_vacuum` after each
        // retention run); stores created by older versions keep their size.
        let writerDatabase = Connection(try location.open(true))
        control = try ControlConnection(location: location, connections: connections)
        writer = GroupCommitWriter(
            database: writerDatabase, quarantineLimit: max(1, quarantineLimit), maxBatchSize: maxBatchSize,
            commitDelay: commitDelay, scheduler: commits)
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

    /// Whether the store committed a write within the last `seconds` and none failed
    /// since: it takes writes, no probe needed.
    package func committed(within seconds: Double) -> Bool { writer.committed(within: seconds) }

    /// The inbox or the outbox.
    package func queue(_ name: QueueName) -> JobQueue {
        name == .inbox ? inbox : outbox
    }

    /// The schema version this binary writes.
    package static var schemaVersion: Int { StoreSchema.migrator.latestVersion }

    /// Jobs per state, for status and metrics.
    package func counts() throws(StoreError) -> StoreCounts {
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
    package func close() {
        writer.stop()
        control.close()
    }
}
