import Glibc
import Synchronization

/// One piece of work on a `WorkScheduler` that is asked for again and again (drain a
/// queue, commit what is pending, take a turn of a periodic loop) and must never run more
/// than `limit` times at once. Asking while it runs makes it run once more afterwards, so
/// no request is lost and a burst of requests costs one run. It can also be asked for
/// at a later time (`signal(after:)`); the earliest such time wins.
package final class CoalescedWork: Sendable {
    private struct State {
        var running = 0
        var again = false
        var stopped = false
        var timer: (id: UInt64, due: Double)? = nil
        /// Scheduler turn when the oldest run in progress started (for `heartbeat`).
        var busySince: [UInt64] = []
    }

    private let scheduler: WorkScheduler
    private let limit: Int
    private let body: @Sendable () -> Void
    private let state = Mutex(State())
    private let finished = Atomic<Int>(0)
    private let idle = IdleSignal()

    /// `body` runs on `scheduler`, at most `limit` at once.
    package init(scheduler: WorkScheduler, limit: Int = 1, _ body: @escaping @Sendable () -> Void) {
        self.scheduler = scheduler
        self.limit = max(1, limit)
        self.body = body
    }

    /// Runs the work soon (once more after a run in progress, when `limit` is reached).
    package func signal() {
        let submit = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            if state.running < limit {
                state.running += 1
                state.busySince.append(scheduler.turnCount)
                return true
            }
            state.again = true
            return false
        }
        if submit, !scheduler.submit({ [self] in run() }) { abandon() }
    }

    /// The pool refused a run (it is stopping): the run never happens.
    private func abandon() {
        state.withLock { state in
            state.running -= 1
            if !state.busySince.isEmpty { state.busySince.removeLast() }
        }
        idle.notify()
    }

    /// Runs the work in `seconds` (sooner if already asked for sooner).
    package func signal(after seconds: Double) {
        guard seconds > 0 else { return signal() }
        let due = WorkScheduler.now() + seconds
        let replaced = state.withLock { state -> UInt64?? in
            guard !state.stopped else { return .none }
            if let timer = state.timer, timer.due <= due { return .none }
            let old = state.timer?.id
            state.timer = (0, due)
            return .some(old)
        }
        guard case .some(let old) = replaced else { return }
        if let old { scheduler.cancel(old) }
        let id = scheduler.schedule(after: seconds) { [self] in
            state.withLock { state in
                if state.timer?.due == due { state.timer = nil }
            }
            signal()
        }
        state.withLock { state in
            if state.timer?.due == due, state.timer?.id == 0 { state.timer = (id, due) }
        }
    }

    /// Runs finished since start.
    package var runs: Int { finished.load(ordering: .relaxed) }

    /// Grows while the work keeps turning: the pool's heartbeat while no run is in
    /// progress, frozen at the start of a run that does not end.
    package var heartbeat: UInt64 {
        state.withLock { $0.busySince.min() } ?? scheduler.turnCount
    }

    /// No more runs; returns once the run in progress (if any) has finished.
    package func stop() {
        let timer = state.withLock { state -> UInt64? in
            state.stopped = true
            state.again = false
            defer { state.timer = nil }
            return state.timer?.id
        }
        if let timer { scheduler.cancel(timer) }
        idle.wait { state.withLock { $0.running == 0 } }
    }

    /// True once `stop` was called.
    package var isStopped: Bool { state.withLock { $0.stopped } }

    private func run() {
        body()
        finished.add(1, ordering: .relaxed)
        let resubmit = state.withLock { state -> Bool in
            if !state.busySince.isEmpty { state.busySince.removeFirst() }
            if state.again && !state.stopped {
                state.again = false
                state.busySince.append(scheduler.turnCount)
                return true
            }
            state.running -= 1
            return false
        }
        if resubmit {
            if !scheduler.submit({ [self] in run() }) { abandon() }
        } else {
            idle.notify()
        }
    }
}
