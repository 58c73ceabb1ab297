import Foundation
import Postgres
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
package final class SingletonLease: @unchecked Sendable {
    // @unchecked: `connection` and `held` only under `lock`; the rest never changes.
    package let name: String
    package let instance: String
    private let url: String
    private let lockText: String
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var held = false

    /// `name`: the singleton (with the tenant, e.g. `default/release`); `instance`: this
    /// process, as `status` shows it (`host:pid` by default).
    package init(url: String, name: String, instance: String = "\(ProcessInfo.processInfo.hostName):\(getpid())") {
        self.url = url
        self.name = name
        self.instance = instance
        lockText = Self.lockText(name)
    }

    /// The text whose hash is the lock's key (`hashtextextended(…, 0)`, computed by the
    /// server, so the same in every instance), as `SharedRateWindow` keys its lock.
    package static func lockText(_ name: String) -> String { "dpbridge-singleton:\(name)" }

    /// Whether this instance holds the singleton after the call: holds it still, or took it
    /// now. False, without throwing, while the database cannot be reached (the next try
    /// connects again).
    package func tryAcquire() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        do {
            let connection = try connected()
            if held {
                // Still ours? The lock is the connection's: a lost connection lost it.
                let mine = try connection.execute(
                    """
                    SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                        AND granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)
                    """, [.text(lockText)])
                held = (mine.integer(0, "n") ?? 0) > 0
                if held { return true }
            }
            held =
                try connection.execute(
                    "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [.text(lockText)]
                ).text(0, "ok") == "t"
            return held
        } catch {
            // The connection is gone with whatever it held.
            self.connection = nil
            held = false
            return false
        }
    }

    /// Gives the singleton up (at stop), for another instance to take at once.
    package func release() {
        lock.lock()
        defer { lock.unlock() }
        if held, let connection {
            _ = try? connection.execute("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [.text(lockText)])
        }
        held = false
        connection = nil
    }

    /// Whether the last `tryAcquire` found it held by this instance.
    package var isHeld: Bool {
        lock.lock()
        defer { lock.unlock() }
        return held
    }

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

    private func connected() throws(PostgresError) -> PostgresConnection {
        if let connection { return connection }
        let connection = try PostgresConnection(url: url)
        // Seen by `holder(of:)` in pg_stat_activity.
        try connection.execute("SET application_name TO \(Self.quoted("dpbridge \(instance)"))")
        // The server drops a vanished host's session, and its locks, after ~11 s of silence
        // (5 s idle, then 3 probes 2 s apart) instead of the system's two hours.
        try connection.execute("SET tcp_keepalives_idle = 5")
        try connection.execute("SET tcp_keepalives_interval = 2")
        try connection.execute("SET tcp_keepalives_count = 3")
        self.connection = connection
        return connection
    }

    /// `text` as an SQL string literal.
    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
