import Foundation
import Store
import Synchronization

/// What the daemon knows about its own health: when Docplanner last pinged, whether it
/// is shutting down, and whether the store accepts writes.
final class DaemonHealth: Sendable {
    private let lastPingMilliseconds = Atomic<Int64>(0)
    /// The last ping handed to the store (milliseconds since 1970).
    private let keptPingMilliseconds = Atomic<Int64>(0)
    private let shuttingDown = Atomic<Bool>(false)
    private let storeFailing = Atomic<Bool>(false)
    /// Set by `StoreWatch`: the store's file system is full, or a probe write failed.
    private let storeProblem = Mutex<String?>(nil)
    /// Whether `storeProblem` holds one, read without the lock on every callback and ping.
    private let hasStoreProblem = Atomic<Bool>(false)
    let startedAt = SteadyClock().date()
    /// Seconds without a ping after which Docplanner has raised its alert (three missed
    /// 5-minute pings); nil when no pings are expected (PULL mode).
    let pingSilenceLimit: Double?

    /// The last ping before this start, as the store kept it (shown until a new one comes).
    let lastPingBeforeStart: Date?
    /// The pings of the last 24 hours (the status page's strip).
    let pingHistory: PingHistory

    init(pingSilenceLimit: Double? = nil, lastPingBeforeStart: Date? = nil, pingHistory: PingHistory? = nil) {
        self.pingSilenceLimit = pingSilenceLimit
        self.lastPingBeforeStart = lastPingBeforeStart
        self.pingHistory = pingHistory ?? PingHistory(encoded: nil, lastPing: lastPingBeforeStart)
    }

    /// Pings are kept in the store at most this often (milliseconds). Docplanner pings
    /// every 5 minutes, but a flood of pings must not become a flood of disk writes;
    /// the latest one is kept at stop (`pingToKeep(force: true)`).
    static let pingKeepInterval: Int64 = 30_000

    /// Notes a ping now; returns the time recorded (to the millisecond).
    @discardableResult
    func recordPing() -> Date {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let milliseconds = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
        lastPingMilliseconds.store(milliseconds, ordering: .relaxed)
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        pingHistory.record(date)
        return date
    }

    /// The last ping, when the store should now be given it: it has not been kept yet,
    /// and (unless `force`) the one kept before is `pingKeepInterval` old. Marks it kept.
    func pingToKeep(force: Bool = false) -> Date? {
        let last = lastPingMilliseconds.load(ordering: .relaxed)
        let kept = keptPingMilliseconds.load(ordering: .relaxed)
        guard last > kept, force || kept == 0 || last - kept >= Self.pingKeepInterval else { return nil }
        guard keptPingMilliseconds.compareExchange(expected: kept, desired: last, ordering: .relaxed).exchanged else {
            return nil  // another thread is keeping a ping just now
        }
        return Date(timeIntervalSince1970: Double(last) / 1000)
    }

    /// Hands the last ping and the ping history to the store when `pingToKeep(force:)`
    /// gives a ping; `wait`: until they are durable (at stop), else without waiting.
    func keepPing(in values: StoreValues, force: Bool = false, wait: Bool = false) {
        guard let ping = pingToKeep(force: force) else { return }
        let history = pingHistory.encoded
        if wait {
            try? values.setAndWait(StoreValues.pingHistoryKey, history)
            try? values.setAndWait(StoreValues.lastPingKey, date: ping)
        } else {
            values.set(StoreValues.pingHistoryKey, history)
            values.set(StoreValues.lastPingKey, date: ping)
        }
    }

    /// A ping another instance received (several instances behind one callback URL share
    /// the store, where each keeps its last ping): counts as this one's last when newer,
    /// so that an instance the load balancer sends no pings to does not warn of silence.
    func noteSharedPing(_ ping: Date) {
        let milliseconds = Int64((ping.timeIntervalSince1970 * 1000).rounded())
        guard milliseconds > lastPingMilliseconds.load(ordering: .relaxed) else { return }
        lastPingMilliseconds.store(milliseconds, ordering: .relaxed)
        keptPingMilliseconds.store(milliseconds, ordering: .relaxed)  // it is in the store already
    }

    /// When the last ping arrived since start, or nil if none has.
    var lastPingSinceStart: Date? {
        let value = lastPingMilliseconds.load(ordering: .relaxed)
        return value == 0 ? nil : Date(timeIntervalSince1970: Double(value) / 1000)
    }

    /// When the last ping arrived: since start, or else the one kept from before.
    var lastPing: Date? { lastPingSinceStart ?? lastPingBeforeStart }

    /// Seconds since Docplanner's last ping to this run of the daemon (since its start until
    /// the first one, as `pingWarning` counts); nil when no pings are expected (PULL mode).
    func pingAge(now: Date = SteadyClock().date()) -> Double? {
        guard pingSilenceLimit != nil else { return nil }
        return max(0, now.timeIntervalSince(lastPingSinceStart ?? startedAt))
    }

    /// The warning to show when Docplanner's pings have stopped (counted from start when
    /// none came since), or nil.
    func pingWarning(now: Date = SteadyClock().date()) -> String? {
        guard let limit = pingSilenceLimit else { return nil }
        let silent = now.timeIntervalSince(lastPingSinceStart ?? startedAt)
        guard silent >= limit else { return nil }
        let minutes = Int(silent / 60)
        return lastPingSinceStart == nil
            ? "no ping from Docplanner in the \(minutes) min since start: it cannot reach the callback URL"
            : "no ping from Docplanner for \(minutes) min: it cannot reach the callback URL"
    }

    /// The warning for a stopped daemon, from the last ping its store kept: nil when that
    /// ping is recent or no pings are expected (`limit` nil).
    static func stoppedPingWarning(lastPing: Date?, limit: Double?, now: Date = SteadyClock().date()) -> String? {
        guard let limit else { return nil }
        guard let lastPing else { return "no ping from Docplanner recorded, and the daemon is stopped" }
        let silent = now.timeIntervalSince(lastPing)
        guard silent >= limit else { return nil }
        return "no ping from Docplanner for \(Int(silent / 60)) min, and the daemon is stopped"
    }

    func beginShutdown() { shuttingDown.store(true, ordering: .relaxed) }
    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func recordStoreResult(success: Bool) { storeFailing.store(!success, ordering: .relaxed) }

    /// What `StoreWatch` found (nil: nothing wrong). A good probe also clears a failure
    /// recorded by an event write, so health comes back by itself.
    func recordStoreProblem(_ problem: String?) {
        storeProblem.withLock {
            $0 = problem
            hasStoreProblem.store(problem != nil, ordering: .relaxed)
        }
        if problem == nil { storeFailing.store(false, ordering: .relaxed) }
    }

    /// Why the store cannot take events now, if it cannot.
    var storeTrouble: String? {
        storeProblem.withLock { $0 } ?? (storeFailing.load(ordering: .relaxed) ? "the last store write failed" : nil)
    }

    /// True when an event sent now would be stored: not shutting down, the last store
    /// write did not fail, and the store's file system has room.
    var canAcceptEvents: Bool { !isShuttingDown && !hasStoreTrouble }

    /// Whether `storeTrouble` is not nil, without copying the text (every callback asks).
    var hasStoreTrouble: Bool {
        hasStoreProblem.load(ordering: .relaxed) || storeFailing.load(ordering: .relaxed)
    }

    /// The one-line summary for `STATUS=` and logs.
    func statusLine(store: Store) -> String {
        let counts = try? store.counts()
        let ping =
            pingWarning().map { "WARNING \($0)" }
            ?? lastPing.map { "last ping \(Int(SteadyClock().date().timeIntervalSince($0)))s ago" } ?? "no ping yet"
        guard let counts else { return "store unreadable; \(ping)" }
        return "inbox \(counts.inbox.pending) pending, outbox \(counts.outbox.pending) pending, "
            + "\(counts.inbox.dead + counts.outbox.dead) dead; \(ping)"
    }
}
