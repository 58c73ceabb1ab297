import PostgresStore
import Scheduling
import Synchronization

/// The daemon's threads for every tenant, whatever their number: one pool for jobs and
/// periodic work, one on which the stores commit (an acknowledgement never waits behind a
/// job), and one for the outbound workers, which may wait on Docplanner's rate limit.
/// Each tenant's outbound workers take at most `workers.outbound` threads of theirs, so a
/// tenant waiting out its 40 writes a minute holds only that budget, and inbound work,
/// commits and timers never wait behind it.
final class DaemonPools: Sendable {
    let work: WorkScheduler
    let commits: WorkScheduler
    /// Left out of the watchdog: all its threads may wait on rate limits for a minute.
    let sends: WorkScheduler
    /// Writes to the clinic calendars' files, which wake their tenants' collectors.
    let files = FileWriteWatch()
    /// The singleton leases of every tenant on PostgreSQL: one connection per server.
    private let leases = LeaseConnections()

    /// The leases of the tenant's PostgreSQL server; nil for a store in SQLite (one
    /// instance: it runs every part).
    func singletons(_ configuration: DaemonConfiguration) -> SingletonLeases? {
        configuration.postgresEndpoint.map { leases.leases(url: $0.url) }
    }

    init(work: Int = 8, commits: Int = 4, sends: Int = 8) {
        self.work = WorkScheduler(threads: work, name: "dpbridge-work")
        self.commits = WorkScheduler(threads: commits, name: "dpbridge-commit")
        self.sends = WorkScheduler(threads: sends, name: "dpbridge-send", watched: false)
        leases.use(self.work)
    }

    /// The pools as parts of the daemon's lifecycle: started before the tenants, stopped
    /// after them (the commit pool last: stores close before it).
    var parts: [any BackgroundPart] { [commits, work, leases, sends, files] }
}

/// The instance's singleton leases, one `SingletonLeases` per PostgreSQL server: their
/// checks run on the work pool from its start, and stop (letting every lease go) before it.
final class LeaseConnections: BackgroundPart {
    private let state = Mutex<(byURL: [String: SingletonLeases], scheduler: WorkScheduler?)>(([:], nil))

    /// The leases of the server at `url`, made (and started, once the pools run) on first use.
    func leases(url: String) -> SingletonLeases {
        let (leases, running) = state.withLock { state -> (SingletonLeases, WorkScheduler?) in
            if let known = state.byURL[url] { return (known, nil) }
            let made = SingletonLeases(url: url)
            state.byURL[url] = made
            return (made, state.scheduler)
        }
        if let running { leases.start(on: running) }
        return leases
    }

    private let pool = Mutex<WorkScheduler?>(nil)

    /// The pool the checks run on (`DaemonPools.work`), set before `start`.
    func use(_ scheduler: WorkScheduler) { pool.withLock { $0 = scheduler } }

    func start() {
        guard let scheduler = pool.withLock({ $0 }) else { return }
        let all = state.withLock { state in
            state.scheduler = scheduler
            return Array(state.byURL.values)
        }
        for leases in all { leases.start(on: scheduler) }
    }

    func stop() {
        let all = state.withLock { state in
            state.scheduler = nil
            return Array(state.byURL.values)
        }
        for leases in all { leases.stop() }
    }

    /// Out of the watchdog: a check waits on the database, which `/health` reports.
    var heartbeat: UInt64? { nil }
}
