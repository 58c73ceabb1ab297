import Foundation
import Partner
import Store

/// What the operator commands do to a store, shared by the admin listener (daemon
/// running) and the commands themselves (daemon stopped, store opened directly), so
/// both give the same answers and the same errors.
struct OperatorActions: Sendable {
    let store: Store
    let daemon: DaemonState
    let tenant: String
    /// The clinic calendar (or the HTTP adapter's mirror), for `erase`; nil when there is none.
    var calendar: EmbeddedPartner? = nil
    /// Its file.
    var calendarPath: String? = nil
    /// The PostgreSQL server whose singleton holders `status` shows; nil with SQLite.
    var singletonServer: String? = nil

    /// The counts and what the store keeps; the caller adds what only a running daemon knows.
    func status(pingAlertMinutes: Int?, now: Date = SteadyClock().date()) throws(OperatorError) -> StatusReport {
        var report = StatusReport(
            daemon: daemon, tenant: tenant, store: store.path,
            counts: try storeCall { () throws(StoreError) in
                try store.counts()
            })
        report.pingAlertMinutes = pingAlertMinutes
        report.mapping = try storeCall { () throws(StoreError) in try store.mappings.summary() }
        report.singletons = singletonServer.flatMap { SingletonPart.holders(tenant: tenant, url: $0) }
        if daemon == .stopped {
            let lastPing = try storeCall { () throws(StoreError) in try store.values.date(StoreValues.lastPingKey) }
            report.lastPing = lastPing
            report.lastPingAgeSeconds = lastPing.map { Int(now.timeIntervalSince($0)) }
            report.pingWarning = DaemonHealth.stoppedPingWarning(
                lastPing: lastPing, limit: pingAlertMinutes.map { Double($0 * 60) }, now: now)
        }
        return report
    }

    func list(_ query: JobQuery) throws(OperatorError) -> JobList {
        var jobs: [JobSummary] = []
        var total = 0
        for name in query.queues {
            let queue = store.queue(name)
            total += try storeCall { () throws(StoreError) in try queue.count(in: query.states) }
            jobs += try storeCall { () throws(StoreError) in try queue.jobs(in: query.states, limit: query.limit) }
                .map { JobSummary($0, queue: name) }
        }
        // Both queues merged, oldest first.
        jobs.sort { ($0.createdAt, $0.queue.rawValue, $0.id) < ($1.createdAt, $1.queue.rawValue, $1.id) }
        return JobList(daemon: daemon, tenant: tenant, total: total, jobs: Array(jobs.prefix(query.limit)))
    }

    func show(id: Int64, queue: QueueName?, revealPatient: Bool = false) throws(OperatorError) -> JobDetail {
        let (name, record) = try locate(id: id, in: queue, for: nil, action: "shown")
        return JobDetail(record, queue: name, daemon: daemon, tenant: tenant, revealPatient: revealPatient)
    }

    /// Makes a job due now (a dead letter: back to pending).
    func retry(id: Int64, queue: QueueName?) throws(OperatorError) -> RetryReport {
        let (name, _) = try locate(id: id, in: queue, for: [.pending, .retrying, .dead], action: "retried")
        let previous = try change(name, id, "retried") { () throws(StoreError) in try store.queue(name).retryNow(id: id)
        }
        return RetryReport(
            daemon: daemon, tenant: tenant, queue: name, id: id, previousState: previous,
            state: previous == .retrying ? .retrying : .pending)
    }

    /// Deletes the jobs selected; `states` are those allowed (and, with `all`, the
    /// default when the selection names none).
    func purge(_ selection: JobSelection, states defaultStates: Set<JobState>) throws(OperatorError) -> ChangeReport {
        try selection.check()
        let allowed = selection.states.isEmpty ? defaultStates : Set(selection.states).intersection(defaultStates)
        var purged: [JobReference] = []
        if selection.all {
            for name in selection.queue.map({ [$0] }) ?? QueueName.allCases {
                let ids = try storeCall { () throws(StoreError) in try store.queue(name).purgeAll(in: allowed) }
                purged += ids.map { JobReference(queue: name, id: $0) }
            }
        } else {
            // Every id is found first, so a wrong one deletes nothing.
            let targets = try selection.ids.map { (id: Int64) throws(OperatorError) -> JobReference in
                JobReference(queue: try locate(id: id, in: selection.queue, for: allowed, action: "purged").0, id: id)
            }
            for name in QueueName.allCases {
                let ids = targets.filter { $0.queue == name }.map(\.id)
                guard !ids.isEmpty else { continue }
                try change(name, nil, "purged") { () throws(StoreError) in
                    try store.queue(name).purge(ids: ids, allowing: allowed)
                }
                purged += ids.map { JobReference(queue: name, id: $0) }
            }
        }
        return ChangeReport(daemon: daemon, tenant: tenant, action: .purged, count: purged.count, jobs: purged)
    }

    /// Puts dead letters back in their queue with a fresh attempt count.
    func replay(_ selection: JobSelection) throws(OperatorError) -> ChangeReport {
        try selection.check()
        var replayed: [JobReference] = []
        if selection.all {
            for name in selection.queue.map({ [$0] }) ?? QueueName.allCases {
                let ids = try storeCall { () throws(StoreError) in try store.queue(name).replayAllDeadLetters() }
                replayed += ids.map { JobReference(queue: name, id: $0) }
            }
        } else {
            let targets = try selection.ids.map { (id: Int64) throws(OperatorError) -> JobReference in
                JobReference(queue: try locate(id: id, in: selection.queue, for: [.dead], action: "replayed").0, id: id)
            }
            for target in targets {
                try change(target.queue, target.id, "replayed") { () throws(StoreError) in
                    try store.queue(target.queue).replay(deadLetter: target.id)
                }
                replayed.append(target)
            }
        }
        return ChangeReport(daemon: daemon, tenant: tenant, action: .replayed, count: replayed.count, jobs: replayed)
    }

    // MARK: - Finding jobs

    /// The queue holding job `id` and the job: in `queue` when given, else in whichever
    /// queue has it, preferring one whose state `allowed` contains (nil: any). A state
    /// the action does not allow is refused here, before anything changes.
    private func locate(id: Int64, in queue: QueueName?, for allowed: Set<JobState>?, action: String)
        throws(OperatorError)
        -> (QueueName, JobRecord)
    {
        var found: [(QueueName, JobRecord)] = []
        for name in queue.map({ [$0] }) ?? QueueName.allCases {
            if let record = try storeCall({ () throws(StoreError) in try store.queue(name).job(id: id) }) {
                found.append((name, record))
            }
        }
        guard !found.isEmpty else { throw .unknownJob(id: id, queue: queue) }
        guard let allowed else {
            if found.count > 1 { throw .ambiguousJob(id: id) }
            return found[0]
        }
        let fitting = found.filter { allowed.contains($0.1.state) }
        if fitting.count > 1 { throw .ambiguousJob(id: id) }
        if let match = fitting.first { return match }
        if found.count > 1 { throw .ambiguousJob(id: id) }
        throw .jobState(queue: found[0].0, id: id, state: found[0].1.state, action: action)
    }

    /// Runs a change, turning the store's refusals into operator errors naming the queue.
    @discardableResult
    private func change<T>(_ queue: QueueName, _ id: Int64?, _ action: String, _ body: () throws(StoreError) -> T)
        throws(OperatorError) -> T
    {
        do {
            return try body()
        } catch StoreError.noSuchJob(let missing) {
            throw .unknownJob(id: id ?? missing, queue: queue)
        } catch StoreError.jobInState(let job, let state) {
            throw .jobState(queue: queue, id: job, state: state, action: action)
        } catch {
            throw .store(error.description)
        }
    }

    func storeCall<T>(_ body: () throws(StoreError) -> T) throws(OperatorError) -> T {
        do {
            return try body()
        } catch {
            throw .store(error.description)
        }
    }
}
