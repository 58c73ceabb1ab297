import Foundation
import Postgres
import Scheduling
import Store

/// One instance at a time runs a singleton (the hourly release, reconciliation, slot
/// refresh, change collection, the mapping watch, the IP refresh) when several share a
/// PostgreSQL store (issue 18): a session-level advisory lock per singleton, on a
/// connection of its own. The server drops the lock with the holder's connection — its
/// process died, or TCP keepalives found its host gone — and another instance takes it at
/// its next `tryAcquire`: failover within one try interval (plus ~11 s of keepalives when a
/// whole host vanishes). Who holds what is read from the server itself (`pg_locks` and the
/// holder's `application_name`), never from a table a dead holder could leave behind.
/// (The server notices a closed connection when it next reads from it: at once for an idle
/// session, as the lease's is between tries; at the end of a statement running meanwhile.)
package final class SingletonLease: SingletonGate {
    package let name: String
    private let holder: SingletonLeases

    /// `name`: the singleton (with the tenant, e.g. `default/release`); `instance`: this
    /// process, as `status` shows it (`host:pid` by default). A lease of its own connection;
    /// an instance's leases share one through `SingletonLeases.lease(_:)`.
    package convenience init(
        url: String, name: String, instance: String = SingletonLeases.defaultInstance
    ) {
        self.init(name: name, holder: SingletonLeases(url: url, instance: instance))
    }

    init(name: String, holder: SingletonLeases) {
        self.name = name
        self.holder = holder
    }

    /// This process, as `status` shows it.
    package var instance: String { holder.instance }

    /// The text whose hash is the lock's key (`hashtextextended(…, 0)`, computed by the
    /// server, so the same in every instance), as `SharedRateWindow` keys its lock.
    package static func lockText(_ name: String) -> String { "dpbridge-singleton:\(name)" }

    /// Whether this instance holds the singleton after the call: holds it still, or took it
    /// now. False, without throwing, while the database cannot be reached (the next try
    /// connects again).
    package func tryAcquire() -> Bool { holder.tryAcquire(name) }

    /// `SingletonGate`: as `tryAcquire`.
    package func tryHold() -> Bool { tryAcquire() }

    /// Gives the singleton up (at stop), for another instance to take at once.
    package func release() { holder.release(name) }

    /// Whether the last `tryAcquire` found it held by this instance.
    package var isHeld: Bool { holder.isHeld(name) }

    /// The instance holding `name` now, as the server sees it; nil when none.
    package static func holder(of name: String, url: String) throws(StoreError) -> String? {
        do {
            let connection = try PostgresConnection(url: url)
            let rows = try connection.execute(
                """
                SELECT a.application_name AS holder FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
                """, [.text(lockText(name))])
            return rows.text(0, "holder").map { $0.hasPrefix("dpbridge ") ? String($0.dropFirst(9)) : $0 }
        } catch {
            throw StoreError(error)
        }
    }

}

/// An instance's singleton leases on one connection: each singleton a session advisory
/// lock held by that connection. A singleton is *wanted* from its first `tryAcquire` until
/// its `release`; every `refreshInterval` seconds (`start(on:)`) the instance checks in one
/// statement which of its locks it still holds (a lost connection lost them all) and tries
/// the wanted ones it does not hold in another — two statements a tick, whether it serves one
/// tenant or a thousand, and a holder whose connection dropped takes its singletons back as
/// soon as the server answers again. `tryAcquire` between ticks answers from what the last
/// tick found, except for a lease never tried yet (asked at once).
package final class SingletonLeases: @unchecked Sendable {
    // @unchecked: `connection`, `held` and `wanted` only under `lock`; the rest never changes
    // after `start`.
    package let instance: String
    private let url: String
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var held: Set<String> = []
    private var wanted: Set<String> = []
    private var ticks: CoalescedWork?

    /// Seconds between the checks of a started holder.
    package static let refreshInterval = 1.0

    /// This process: `host:pid`.
    package static let defaultInstance = "\(ProcessInfo.processInfo.hostName):\(getpid())"

    package init(url: String, instance: String = SingletonLeases.defaultInstance) {
        self.url = url
        self.instance = instance
    }

    /// The lease of singleton `name` on this connection.
    package func lease(_ name: String) -> SingletonLease { SingletonLease(name: name, holder: self) }

    /// Checks and takes the wanted leases every `refreshInterval` on `scheduler`, until `stop`.
    package func start(on scheduler: WorkScheduler) {
        let work = CoalescedWork(scheduler: scheduler) { [weak self] in
            guard let self else { return }
            self.refresh()
            self.lock.withLock { self.ticks }?.signal(after: Self.refreshInterval)
        }
        lock.withLock { ticks = work }
        work.signal()
    }

    /// Stops the checks and lets every lease go (at the daemon's stop).
    package func stop() {
        let work = lock.withLock { ticks }
        work?.stop()
        lock.lock()
        defer { lock.unlock() }
        wanted = []
        held = []
        connection = nil  // closing the session frees its locks at once
    }

    func tryAcquire(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if wanted.insert(name).inserted || ticks == nil { refreshLocked() }
        return held.contains(name)
    }

    func release(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        wanted.remove(name)
        guard held.remove(name) != nil, let connection else { return }
        _ = try? connection.execute(
            "SELECT pg_advisory_unlock(hashtextextended($1, 0))", [.text(SingletonLease.lockText(name))])
        if held.isEmpty && wanted.isEmpty { self.connection = nil }
    }

    func isHeld(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return held.contains(name)
    }

    /// One tick: which locks this session still holds, then the wanted ones not held.
    func refresh() {
        lock.lock()
        defer { lock.unlock() }
        refreshLocked()
    }

    private func refreshLocked() {
        guard !wanted.isEmpty else { return }
        do {
            let connection = try connected()
            let names = Array(wanted)
            let keys = Self.textArray(names.map(SingletonLease.lockText))
            let still = try connection.execute(
                """
                SELECT n FROM unnest($1::text[]) AS n WHERE EXISTS (
                    SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                      AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(n, 0))
                """, [.text(keys)])
            let stillHeld = Set((0..<still.count).compactMap { still.text($0, "n") })
            held = Set(names.filter { stillHeld.contains(SingletonLease.lockText($0)) })
            let missing = names.filter { !held.contains($0) }
            guard !missing.isEmpty else { return }
            let taken = try connection.execute(
                "SELECT n FROM unnest($1::text[]) AS n WHERE pg_try_advisory_lock(hashtextextended(n, 0))",
                [.text(Self.textArray(missing.map(SingletonLease.lockText)))])
            let takenKeys = Set((0..<taken.count).compactMap { taken.text($0, "n") })
            for name in missing where takenKeys.contains(SingletonLease.lockText(name)) { held.insert(name) }
        } catch {
            // The connection is gone with whatever it held; the next tick connects again.
            self.connection = nil
            held = []
        }
    }

    /// `texts` as a PostgreSQL text array literal (`{"a","b"}`).
    private static func textArray(_ texts: [String]) -> String {
        "{"
            + texts.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
    }

    private func connected() throws(PostgresError) -> PostgresConnection {
        if let connection { return connection }
        let connection = try PostgresConnection(url: url)
        // Seen by `SingletonLease.holder(of:)` in pg_stat_activity.
        try connection.execute("SET application_name TO \(PostgresEndpoint.literal("dpbridge \(instance)"))")
        // The server drops a vanished host's session, and its locks, after ~11 s of silence
        // (5 s idle, then 3 probes 2 s apart) instead of the system's two hours.
        try connection.execute("SET tcp_keepalives_idle = 5")
        try connection.execute("SET tcp_keepalives_interval = 2")
        try connection.execute("SET tcp_keepalives_count = 3")
        self.connection = connection
        return connection
    }
}
