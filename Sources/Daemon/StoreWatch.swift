import Foundation
import Logging
import Scheduling
import Store
import Sync
import Synchronization

/// Keeps `DaemonHealth` true to whether the store can take events now, before one fails,
/// so that `/health` and the ping answer 503 on a full disk and come back by themselves
/// when space returns: it checks the free space of the store's file system (an event
/// needs room for its body in the write-ahead log) every `healthyInterval` while all is
/// well and every `failingInterval` while it is not, and writes a probe value only when
/// the store has not committed for `probeInterval` or its last commit failed (a probe is
/// an fsync, which a thousand idle clinics should not pay every half minute). Logs each
/// change once: critical when the store stops taking writes, a notice when it is back.
final class StoreWatch: BackgroundPart {
    private let store: Store
    private let directory: String
    private let reserveBytes: UInt64
    private let health: DaemonHealth
    private let logger: Logger
    private let healthyInterval: Double
    private let failingInterval: Double
    private let probeInterval: Double
    private let loop: BackgroundLoop
    private let reported = Mutex<String?>(nil)

    static let probeKey = "health_probe"

    /// `reserveBytes`: the free space below which the store counts as full.
    init(
        store: Store, storePath: String, reserveBytes: UInt64, health: DaemonHealth, logger: Logger,
        healthyInterval: Double = 30, failingInterval: Double = 2, probeInterval: Double = 300,
        scheduler: WorkScheduler = .shared
    ) {
        loop = BackgroundLoop(scheduler: scheduler)
        self.store = store
        directory =
            (storePath as NSString).deletingLastPathComponent.isEmpty
            ? "." : (storePath as NSString).deletingLastPathComponent
        self.reserveBytes = reserveBytes
        self.health = health
        self.logger = logger
        self.healthyInterval = healthyInterval
        self.failingInterval = failingInterval
        self.probeInterval = probeInterval
    }

    func start() {
        loop.start(name: "storewatch") { [self] in
            let problem = check()
            health.recordStoreProblem(problem)
            let before = reported.withLock { reported in
                defer { reported = problem }
                return reported
            }
            if let problem, before == nil {
                logger.critical(
                    "the store cannot take events: \(problem); callbacks and pings answer 503 until it can",
                    metadata: ["event": "store-unwritable", "directory": "\(directory)"])
            } else if problem == nil, before != nil {
                logger.notice("the store takes events again", metadata: ["event": "store-writable"])
            }
            return problem == nil ? healthyInterval : failingInterval
        }
    }

    func stop() { loop.stop() }

    /// Out of the watchdog: a probe on a failing disk may block in fsync for long, and a
    /// restart would not help it; `/health` and the 503s report it instead.
    var heartbeat: UInt64? { nil }

    /// What keeps the store from taking events now, or nil.
    func check() -> String? {
        if let free = Self.freeBytes(directory), free < reserveBytes {
            return "\(free / 1024) KiB free on the store's file system (at least \(reserveBytes / 1024) KiB needed)"
        }
        if store.committed(within: probeInterval) { return nil }
        do {
            try store.values.setAndWait(Self.probeKey, date: SteadyClock().date())
            return nil
        } catch {
            return "a probe write failed: \(error)"
        }
    }

    /// Bytes an unprivileged writer may still use on the file system of `path`.
    static func freeBytes(_ path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
