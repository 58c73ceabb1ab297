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
    private let leases = Mutex<[String: SingletonLeases]>([:])

    /// The leases of the tenant's PostgreSQL server; nil for a store in SQLite (one
    /// instance: it runs every part).
    func singletons(_ configuration: DaemonConfiguration) -> SingletonLeases? {
        guard let endpoint = configuration.postgresEndpoint else { return nil }
        return leases.withLock { leases in
            if let known = leases[endpoint.url] { return known }
            let made = SingletonLeases(url: endpoint.url)
            leases[endpoint.url] = made
            return made
        }
    }

    init(work: Int = 8, commits: Int = 4, sends: Int = 8) {
        self.work = WorkScheduler(threads: work, name: "dpbridge-work")
        self.commits = WorkScheduler(threads: commits, name: "dpbridge-commit")
        self.sends = WorkScheduler(threads: sends, name: "dpbridge-send", watched: false)
    }

    /// The pools as parts of the daemon's lifecycle: started before the tenants, stopped
    /// after them (the commit pool last: stores close before it).
    var parts: [any BackgroundPart] { [commits, work, sends, files] }
}
