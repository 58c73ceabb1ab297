import Foundation
import Partner
import Store

/// One operator command's access to a tenant's daemon and store. A running daemon (it
/// holds `<store>.lock`) is asked through its admin listener; a stopped one's store is
/// opened directly, with the lock held until `close()`, so no daemon can start and work
/// on the store underneath the command. Both ways give the same reports and errors.
package final class OperatorSession {
    package let target: OperatorTarget
    private let backend: Backend

    private enum Backend {
        case admin(AdminAPIClient)
        case store(Store, InstanceLock?, OperatorActions)
    }

    /// Whether the daemon runs (and answers) or is stopped.
    package var daemon: DaemonState {
        if case .admin = backend { return .running }
        return .stopped
    }

    private init(target: OperatorTarget, backend: Backend) {
        self.target = target
        self.backend = backend
    }

    /// Finds out whether the daemon runs. While its lock is held but its admin listener
    /// does not answer (starting, stopping, or stuck), tries again for `patience` seconds,
    /// then throws `.daemonUnreachable`.
    package static func open(_ target: OperatorTarget, patience: Double = 5) throws(OperatorError) -> OperatorSession {
        if target.storeIsShared { return try openShared(target) }
        guard FileManager.default.fileExists(atPath: target.storePath) else { throw .noStore(path: target.storePath) }
        let admin = AdminAPIClient(target: target)
        let deadline = SteadyClock.monotonicSeconds() + patience
        var reason = ""
        repeat {
            if let lock = try InstanceLock.takeIfFree(storePath: target.storePath) {
                let store: Store
                do {
                    store = try Store(path: target.storePath, retryPolicy: target.retryPolicy)
                } catch {
                    throw .storeUnreadable(path: target.storePath, reason: error.description)
                }
                let actions = OperatorActions(store: store, daemon: .stopped, tenant: target.tenant)
                return OperatorSession(target: target, backend: .store(store, lock, actions))
            }
            guard let failure = admin.probe() else {
                return OperatorSession(target: target, backend: .admin(admin))
            }
            reason = failure
            usleep(200_000)
        } while SteadyClock.monotonicSeconds() < deadline
        throw .daemonUnreachable(lockPath: target.lockPath, admin: "\(target.admin)", reason: reason)
    }

    /// A store on PostgreSQL, which instances share: this host's daemon when it answers
    /// (it knows its health and limits), otherwise the store itself, opened beside
    /// whichever instances run elsewhere (no lock to take: the database orders their writes).
    private static func openShared(_ target: OperatorTarget) throws(OperatorError) -> OperatorSession {
        let admin = AdminAPIClient(target: target)
        if admin.probe() == nil { return OperatorSession(target: target, backend: .admin(admin)) }
        let store: Store
        do {
            store = try Store(location: target.storeLocation, retryPolicy: target.retryPolicy)
        } catch {
            throw .storeUnreadable(path: target.storeLocation.description, reason: error.description)
        }
        var actions = OperatorActions(store: store, daemon: .stopped, tenant: target.tenant)
        actions.singletonServer = target.singletonServer
        return OperatorSession(target: target, backend: .store(store, nil, actions))
    }

    /// Closes the store (when opened directly) and releases the lock.
    package func close() {
        if case .store(let store, let lock, _) = backend {
            store.close()
            withExtendedLifetime(lock) {}
        }
    }

    // MARK: - Commands

    package func status() throws(OperatorError) -> StatusReport {
        switch backend {
        case .admin(let client): try client.get(StatusReport.self, "/status")
        case .store(_, _, let actions): try actions.status(pingAlertMinutes: target.pingAlertMinutes)
        }
    }

    package func list(_ query: JobQuery) throws(OperatorError) -> JobList {
        switch backend {
        case .admin(let client): try client.get(JobList.self, "/jobs", query.parameters)
        case .store(_, _, let actions): try actions.list(query)
        }
    }

    /// One job; its payload with patient fields redacted unless `revealPatient`.
    package func show(id: Int64, queue: String?, revealPatient: Bool = false) throws(OperatorError) -> JobDetail {
        let name = try queue.map { (name: String) throws(OperatorError) -> QueueName in try JobQuery.queue(name) }
        switch backend {
        case .admin(let client):
            return try client.get(
                JobDetail.self, "/jobs/\(id)",
                Self.queueParameter(name) + (revealPatient ? [("reveal", "patient")] : []))
        case .store(_, _, let actions): return try actions.show(id: id, queue: name, revealPatient: revealPatient)
        }
    }

    package func retry(id: Int64, queue: String?) throws(OperatorError) -> RetryReport {
        let name = try queue.map { (name: String) throws(OperatorError) -> QueueName in try JobQuery.queue(name) }
        switch backend {
        case .admin(let client):
            return try client.post(RetryReport.self, "/jobs/\(id)/retry", Self.queueParameter(name), body: String?.none)
        case .store(_, _, let actions): return try actions.retry(id: id, queue: name)
        }
    }

    /// Deletes pending, retrying or dead jobs (`queue purge`).
    package func purge(_ selection: JobSelection) throws(OperatorError) -> ChangeReport {
        switch backend {
        case .admin(let client): try client.post(ChangeReport.self, "/jobs/purge", body: selection)
        case .store(_, _, let actions): try actions.purge(selection, states: JobState.purgeable)
        }
    }

    /// Deletes dead letters only (`deadletters purge`).
    package func purgeDeadLetters(_ selection: JobSelection) throws(OperatorError) -> ChangeReport {
        switch backend {
        case .admin(let client): try client.post(ChangeReport.self, "/deadletters/purge", body: selection)
        case .store(_, _, let actions): try actions.purge(selection, states: [.dead])
        }
    }

    package func replay(_ selection: JobSelection) throws(OperatorError) -> ChangeReport {
        switch backend {
        case .admin(let client): try client.post(ChangeReport.self, "/deadletters/replay", body: selection)
        case .store(_, _, let actions): try actions.replay(selection)
        }
    }

    // MARK: - Quarantine

    package func quarantineList(limit: Int?) throws(OperatorError) -> QuarantineList {
        switch backend {
        case .admin(let client):
            try client.get(QuarantineList.self, "/quarantine", limit.map { [("limit", "\($0)")] } ?? [])
        case .store(_, _, let actions): try actions.quarantineList(limit: limit)
        }
    }

    /// One quarantined body; patient fields redacted unless `revealPatient`.
    package func quarantineShow(id: Int64, revealPatient: Bool = false) throws(OperatorError) -> QuarantineDetail {
        switch backend {
        case .admin(let client):
            try client.get(QuarantineDetail.self, "/quarantine/\(id)", revealPatient ? [("reveal", "patient")] : [])
        case .store(_, _, let actions): try actions.quarantineShow(id: id, revealPatient: revealPatient)
        }
    }

    package func quarantinePurge(_ selection: QuarantineSelection) throws(OperatorError) -> QuarantinePurgeReport {
        switch backend {
        case .admin(let client): try client.post(QuarantinePurgeReport.self, "/quarantine/purge", body: selection)
        case .store(_, _, let actions): try actions.quarantinePurge(selection)
        }
    }

    // MARK: - Erasure

    /// Finds (and with `request.apply`, erases) one patient's data in the store and the
    /// calendar. While the daemon is stopped the calendar file is opened here, when it exists.
    package func erase(_ request: ErasureRequest) throws(OperatorError) -> ErasureReport {
        switch backend {
        case .admin(let client):
            return try client.post(ErasureReport.self, "/erase", body: request)
        case .store(let store, _, _):
            var actions = OperatorActions(store: store, daemon: .stopped, tenant: target.tenant)
            actions.singletonServer = target.singletonServer
            let onServer = target.calendarLocation.dialect == .postgres
            if onServer || FileManager.default.fileExists(atPath: target.calendarPath) {
                do {
                    actions.calendar = try EmbeddedPartner(location: target.calendarLocation)
                } catch {
                    throw .calendar("\(target.calendarLocation.description): \(error)")
                }
                actions.calendarPath = target.calendarLocation.description
            }
            return try actions.erase(request)
        }
    }

    private static func queueParameter(_ queue: QueueName?) -> [(String, String)] {
        queue.map { [("queue", $0.rawValue)] } ?? []
    }
}
