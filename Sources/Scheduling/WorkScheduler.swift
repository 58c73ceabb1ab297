import CLinux
import Clocks
import Glibc
import Synchronization

/// A fixed pool of threads that runs the daemon's work for every tenant: tasks submitted
/// now, and timers that submit a task at a time on the monotonic clock. Nothing polls:
/// an idle thread sleeps until a task is submitted or the earliest timer is due. One idle
/// thread at a time (the timer keeper) waits for that timer; the others wait for tasks.
///
/// Tasks run to completion on one thread; a task that blocks holds its thread, so work
/// that can wait long (a rate limit) re-schedules itself instead of sleeping.
package final class WorkScheduler: @unchecked Sendable {
    // @unchecked: every field below `mutex` is read and written only with it held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Idle threads that are not the keeper wait here for tasks.
    private let workCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The keeper waits here (on CLOCK_MONOTONIC) for the earliest timer.
    private let timerCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private var ready = TaskQueue()
    private var timers = TimerHeap()
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var nextTimerID: UInt64 = 1
    private var hasKeeper = false
    private var keeperDeadline: Double? = nil
    private var idleWorkers = 0
    private var started = false
    private var stopping = false
    private var running = 0
    private var stoppedCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// Threads in the pool.
    package let threadCount: Int
    /// Names the threads (`name-0`, `name-1`, …).
    package let name: String
    private let turns = Atomic<UInt64>(0)

    /// Whether the systemd watchdog checks this pool (`BackgroundPart.heartbeat`).
    package let watched: Bool

    /// A pool of `threads` threads named after `name`; they start with the first task or
    /// timer (or `start()`). `watched`: see `BackgroundPart.heartbeat`.
    package init(threads: Int, name: String, watched: Bool = true) {
        threadCount = max(1, threads)
        self.name = name
        self.watched = watched
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workCondition, nil)
        pthread_cond_init(stoppedCondition, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(timerCondition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(workCondition)
        pthread_cond_destroy(timerCondition)
        pthread_cond_destroy(stoppedCondition)
        pthread_mutex_destroy(mutex)
        workCondition.deallocate()
        timerCondition.deallocate()
        stoppedCondition.deallocate()
        mutex.deallocate()
    }

    /// The pool for the daemon's work when none is given: jobs and periodic work.
    package static let shared = WorkScheduler(threads: 8, name: "dpbridge-work")

    /// The pool on which stores commit when none is given (kept apart from `shared`, so
    /// that an acknowledgement never waits behind a job).
    package static let commits = WorkScheduler(threads: 4, name: "dpbridge-commit")

    /// Seconds on the monotonic clock, the timers' clock.
    package static func now() -> Double { SteadyClock.monotonicSeconds() }

    /// Starts the threads (done by the first task or timer otherwise).
    package func start() {
        pthread_mutex_lock(mutex)
        startLocked()
        pthread_mutex_unlock(mutex)
    }

    /// Runs `task` on a pool thread as soon as one is free; false (and the task never
    /// runs) once the pool is stopping.
    @discardableResult
    package func submit(_ task: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        guard !stopping else {
            pthread_mutex_unlock(mutex)
            return false
        }
        startLocked()
        ready.append(task)
        wakeOneLocked()
        pthread_mutex_unlock(mutex)
        return true
    }

    /// Submits `task` once `delay` seconds have passed; returns a handle for `cancel`.
    @discardableResult
    package func schedule(after delay: Double, _ task: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = Self.now() + max(0, delay.isFinite ? delay : 365 * 86_400)
        pthread_mutex_lock(mutex)
        guard !stopping else {
            pthread_mutex_unlock(mutex)
            return 0
        }
        startLocked()
        let id = nextTimerID
        nextTimerID += 1
        actions[id] = task
        timers.push(deadline: deadline, id: id)
        if hasKeeper {
            if let waiting = keeperDeadline, waiting <= deadline {
                // The keeper wakes before this one is due anyway.
            } else {
                pthread_cond_signal(timerCondition)
            }
        } else if idleWorkers > 0 {
            pthread_cond_signal(workCondition)
        }
        pthread_mutex_unlock(mutex)
        return id
    }

    /// Cancels a timer not yet due (a due one's task may already be submitted).
    package func cancel(_ id: UInt64) {
        pthread_mutex_lock(mutex)
        actions[id] = nil
        pthread_mutex_unlock(mutex)
    }

    /// Grows as the pool's threads turn (each task run, each timer fired); and twice a
    /// second while idle, through an internal timer, so that it stops only when every
    /// thread is stuck. For the systemd watchdog.
    package var turnCount: UInt64 { turns.load(ordering: .relaxed) }

    /// Timers waiting, tasks waiting (for status and tests).
    package var backlog: (timers: Int, tasks: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return (actions.count, ready.count)
    }

    /// Lets the tasks already submitted finish, drops the timers, and returns once every
    /// thread has ended. Later tasks and timers are ignored.
    package func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        actions.removeAll()
        pthread_cond_broadcast(workCondition)
        pthread_cond_broadcast(timerCondition)
        while running > 0 { pthread_cond_wait(stoppedCondition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    // MARK: - Threads

    private func startLocked() {
        guard !started else { return }
        started = true
        running = threadCount
        for index in 0..<threadCount {
            let thread = PoolThread(name: "\(name)-\(index)") { [self] in run() }
            thread.start()
        }
        // The idle heartbeat: a timer that re-arms itself.
        let id = nextTimerID
        nextTimerID += 1
        actions[id] = { [weak self] in self?.tick() }
        timers.push(deadline: Self.now() + Self.tickInterval, id: id)
    }

    /// The idle heartbeat's period: well under the watchdog's checks (one a second at most).
    private static let tickInterval = 0.5

    private func tick() {
        schedule(after: Self.tickInterval) { [weak self] in self?.tick() }
    }

    /// Signals a thread that can take a task submitted now.
    private func wakeOneLocked() {
        if idleWorkers > 0 {
            pthread_cond_signal(workCondition)
        } else if hasKeeper {
            pthread_cond_signal(timerCondition)
        }
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            if let task = ready.popFirst() {
                if !ready.isEmpty { wakeOneLocked() }
                pthread_mutex_unlock(mutex)
                task()
                turns.add(1, ordering: .relaxed)
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            let now = Self.now()
            if let top = timers.top, top.deadline <= now {
                timers.pop()
                if let action = actions.removeValue(forKey: top.id) { ready.append(action) }
                continue
            }
            if !hasKeeper {
                // Keep the timers: sleep until the earliest is due (or a task arrives).
                hasKeeper = true
                keeperDeadline = timers.top?.deadline
                if let deadline = keeperDeadline {
                    var time = timespec(tv_sec: Int(deadline), tv_nsec: Int((deadline - Double(Int(deadline))) * 1e9))
                    pthread_cond_timedwait(timerCondition, mutex, &time)
                } else {
                    pthread_cond_wait(timerCondition, mutex)
                }
                hasKeeper = false
                keeperDeadline = nil
                // Another idle thread becomes the keeper while this one works.
                if idleWorkers > 0 { pthread_cond_signal(workCondition) }
                continue
            }
            idleWorkers += 1
            pthread_cond_wait(workCondition, mutex)
            idleWorkers -= 1
        }
        running -= 1
        if running == 0 { pthread_cond_broadcast(stoppedCondition) }
        pthread_mutex_unlock(mutex)
    }
}

/// A FIFO of tasks (an array with a moving head, compacted now and then).
private struct TaskQueue {
    private var items: [(@Sendable () -> Void)?] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }

    mutating func append(_ task: @escaping @Sendable () -> Void) { items.append(task) }

    mutating func popFirst() -> (@Sendable () -> Void)? {
        guard head < items.count else { return nil }
        let task = items[head]
        items[head] = nil
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return task
    }
}

/// A binary min-heap of timers by deadline (then by id, so equal deadlines keep order).
private struct TimerHeap {
    private var entries: [(deadline: Double, id: UInt64)] = []

    var top: (deadline: Double, id: UInt64)? { entries.first }

    private static func less(_ a: (deadline: Double, id: UInt64), _ b: (deadline: Double, id: UInt64)) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id)
    }

    mutating func push(deadline: Double, id: UInt64) {
        entries.append((deadline, id))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !entries.isEmpty else { return }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, Self.less(entries[left], entries[smallest]) { smallest = left }
            if right < entries.count, Self.less(entries[right], entries[smallest]) { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
