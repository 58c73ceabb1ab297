import Foundation
import Scheduling
import Synchronization

/// Periodic work of one part of the daemon (collecting clinic changes, pulling
/// notifications, releasing failed pushes, watching pings), as turns on the shared
/// `WorkScheduler` instead of a thread of its own: each turn returns when the next one is
/// due, and between turns nothing runs and no thread is held. `wake()` brings the next
/// turn forward; `stop()` cancels the next one and waits for a turn in progress.
package final class BackgroundLoop: Sendable {
    private let scheduler: WorkScheduler
    private let work = Mutex<CoalescedWork?>(nil)
    private let stopping = Atomic<Bool>(false)
    private let signal = DispatchSemaphore(value: 0)
    private let singleton: (any SingletonGate)?

    /// Seconds between tries to take the singleton while another instance holds it: the
    /// failover time once the holder's connection is gone.
    package static let singletonRetry = 2.0

    /// `singleton`: the part runs its turns only while this instance holds it (several
    /// instances on one PostgreSQL store); the others try again every `singletonRetry`
    /// seconds, and the first to succeed once the holder is gone runs a turn at once.
    package init(scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil) {
        self.scheduler = scheduler
        self.singleton = singleton
    }

    /// True once `stop` was called.
    package var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Starts the turns: `turn` runs at once and then again the number of seconds it
    /// returns later (never again on its own when it returns nil; `wake()` still runs it).
    /// `name` names the part in logs of the pool.
    package func start(name: String, _ turn: @escaping @Sendable () -> Double?) {
        let singleton = singleton
        let work = CoalescedWork(scheduler: scheduler) { [weak self] in
            guard let self, !self.isStopping else { return }
            if let singleton, !singleton.tryHold() {
                self.work.withLock { $0 }?.signal(after: Self.singletonRetry)
                return
            }
            if let next = turn(), !self.isStopping {
                self.work.withLock { $0 }?.signal(after: max(next, 0.001))
            }
        }
        self.work.withLock { $0 = work }
        work.signal()
    }

    /// Waits up to `seconds` inside a turn (a rare retry), less when stopped. It holds a
    /// thread of the pool: a turn that waits long returns the delay instead.
    package func pause(_ seconds: Double) {
        guard seconds > 0, !isStopping else { return }
        _ = signal.wait(timeout: .now() + seconds)
    }

    /// Runs the next turn now (after the one in progress).
    package func wake() {
        work.withLock { $0 }?.signal()
    }

    /// Grows while the loop turns; frozen while one turn does not end (for the watchdog).
    package var heartbeat: UInt64 { work.withLock { $0 }?.heartbeat ?? scheduler.turnCount }

    /// Cancels the next turn and waits for the one in progress (at once if never started).
    package func stop() {
        stopping.store(true, ordering: .releasing)
        signal.signal()
        work.withLock { $0 }?.stop()
        singleton?.release()
    }
}
