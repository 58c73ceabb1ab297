import Curl
import Foundation

/// How urgent an outbound request is. When requests wait for the rate limit, a waiting
/// request of higher priority goes first (FIFO within a priority).
package enum RequestPriority: Int, Sendable, Comparable, CaseIterable {
    /// Slot feeds, reconciliation, dictionary refreshes.
    case low = 0
    /// Calendar breaks, mapping, address services.
    case normal = 1
    /// Bookings: book, cancel, move, confirm, presence.
    case high = 2
    /// Answers someone is waiting for right now (pulling notifications, manual commands).
    case critical = 3

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The two budgets Docplanner counts separately per client.
package enum RequestKind: String, Sendable, Hashable, CaseIterable {
    /// GET (and HEAD).
    case read
    /// PUT, POST, PATCH, DELETE.
    case write

    package init(_ method: CurlMethod) { self = method.isWrite ? .write : .read }
}

/// Docplanner's limits: writes within 40 per minute, reads within 8000 per hour.
package struct RateLimitPolicy: Sendable, Equatable {
    package struct Window: Sendable, Equatable {
        package var limit: Int
        /// Seconds.
        package var period: Double

        package init(limit: Int, period: Double) {
            self.limit = limit
            self.period = period
        }
    }

    package var reads: Window
    package var writes: Window

    package init(reads: Window = Window(limit: 8000, period: 3600), writes: Window = Window(limit: 40, period: 60)) {
        self.reads = reads
        self.writes = writes
    }

    /// The documented per-client limits.
    package static let docplanner = RateLimitPolicy()

    package func window(_ kind: RequestKind) -> Window { kind == .read ? reads : writes }
}

/// A budget shared with other processes — several dpbridge instances of one tenant on one
/// database must stay within Docplanner's 40 writes a minute together. The limiter asks it
/// for each permit it is about to grant, and tells it when the permit's request has ended.
package protocol SharedPermits: Sendable {
    /// Takes a permit of `kind`, counted as in flight until `finish`; or the seconds until
    /// one may be had (also when the shared budget cannot be asked: no permit is granted
    /// without it).
    func take(_ kind: RequestKind) -> SharedGrant
    /// The request of a permit `take` granted has ended (answered, failed or never sent): it
    /// counts for one more window from now.
    func finish(_ kind: RequestKind, token: Int64)
}

/// A shared budget's answer to `SharedPermits.take`.
package enum SharedGrant: Sendable, Equatable {
    /// Taken; `token` names it to `finish`.
    case granted(token: Int64)
    /// The window is full: ask again in `seconds`.
    case wait(seconds: Double)
}

/// A permit `RateLimiter.permit` granted: its request may go now, and is counted in its
/// window until one period after `RateLimiter.finish`. Docplanner counts a request when it
/// arrives, which may be any moment until its answer: a window counted from the grant would
/// let a request sent late in one window meet the next one's first on the server's side.
package struct RatePermit: Sendable {
    package let kind: RequestKind
    /// The shared budget's token (nil: no shared budget).
    let sharedToken: Int64?
}

/// A client-side limiter that keeps each kind of request within its sliding window (no
/// more than `limit` requests in any `period` seconds wherever Docplanner counts them: a
/// permit counts from its grant until `period` after its request ended), lets waiting
/// requests of higher priority go first, and honours pauses learned from Docplanner (429 /
/// X-RateLimit-Reset). `permit` and `acquire` block the calling worker thread.
package final class RateLimiter: Sendable {
    package let policy: RateLimitPolicy
    private let clock: any DocplannerClock
    private let state: LockedState
    private let shared: (any SharedPermits)?

    /// `shared`: the budget other instances share, asked before each local grant, one at a
    /// time (under the limiter's lock; nil: this process alone counts).
    package init(
        policy: RateLimitPolicy = .docplanner, clock: any DocplannerClock = DocplannerSystemClock(),
        shared: (any SharedPermits)? = nil
    ) {
        self.policy = policy
        self.clock = clock
        self.shared = shared
        state = LockedState(LimiterState())
    }

    /// Waits for a permit of `kind`, takes it and counts it from now: for a request whose end
    /// does not matter (tests, a permit spent without a call). Returns false, without taking
    /// one, if none could be had by `deadline` (seconds since 1970 on the limiter's clock).
    @discardableResult
    package func acquire(_ kind: RequestKind, priority: RequestPriority = .normal, deadline: Double? = nil) -> Bool {
        guard let permit = permit(kind, priority: priority, deadline: deadline) else { return false }
        finish(permit)
        return true
    }

    /// Waits for a permit of `kind` and takes it; the caller sends its request, then calls
    /// `finish`. Nil, without a permit, if none could be had by `deadline` (seconds since
    /// 1970 on the limiter's clock) or the limiter was closed.
    package func permit(_ kind: RequestKind, priority: RequestPriority = .normal, deadline: Double? = nil)
        -> RatePermit?
    {
        let window = policy.window(kind)
        return state.withLock { state, condition in
            let ticket = state.enqueue(kind, priority: priority)
            defer { condition.broadcast() }
            while true {
                let now = clock.now()
                state.prune(kind, before: now - window.period)
                if state.closed {
                    state.dequeue(kind, ticket)
                    return nil
                }
                let isHead = state.head(kind) == ticket
                let pausedUntil = state.pausedUntil[kind] ?? 0
                let full = state.used(kind) >= state.limit(kind, window, for: priority)
                var sharedWait: Double? = nil
                if isHead && now >= pausedUntil && !full {
                    // The shared budget, when there is one, has the last word.
                    var sharedToken: Int64? = nil
                    switch shared?.take(kind) {
                    case .granted(let token): sharedToken = token
                    case .wait(let seconds): sharedWait = seconds
                    case nil: break
                    }
                    if sharedWait == nil {
                        state.dequeue(kind, ticket)
                        state.inFlight[kind, default: 0] += 1
                        return RatePermit(kind: kind, sharedToken: sharedToken)
                    }
                }
                if let deadline, now >= deadline {
                    state.dequeue(kind, ticket)
                    return nil
                }
                var wake: Double? = nil
                if isHead {
                    // Wake when the oldest ended request leaves the window, or the pause
                    // ends; a window full of requests in flight waits for one to end.
                    var next = pausedUntil
                    if full {
                        if let oldest = state.ended[kind, default: []].first {
                            next = max(next, oldest + window.period)
                        } else {
                            next = .infinity
                        }
                    }
                    if let sharedWait { next = max(next, now + sharedWait) }
                    wake = next.isFinite ? next : nil
                }
                if let deadline { wake = min(wake ?? deadline, deadline) }
                clock.wait(on: condition, until: wake)
            }
        }
    }

    /// The request of `permit` has ended (answered, failed, or never sent): it counts for
    /// one more period from now, here and in the shared budget. Once per permit.
    package func finish(_ permit: RatePermit) {
        state.withLock { state, condition in
            state.inFlight[permit.kind, default: 0] -= 1
            // Ends are kept in order: a clock that stepped back does not reorder them.
            let now = max(clock.now(), state.ended[permit.kind, default: []].last ?? 0)
            state.ended[permit.kind, default: []].append(now)
            condition.broadcast()
        }
        if let token = permit.sharedToken { shared?.finish(permit.kind, token: token) }
    }

    /// Refuses every waiting and later request (they return false at once): a stopping
    /// daemon does not wait out the rate-limit window; the jobs stay queued for the next start.
    package func close() {
        state.withLock { state, condition in
            state.closed = true
            condition.broadcast()
        }
    }

    /// Holds every request of `kind` until `until` (seconds since 1970), e.g. after a 429.
    package func pause(_ kind: RequestKind, until: Double) {
        state.withLock { state, condition in
            state.pausedUntil[kind] = max(state.pausedUntil[kind] ?? 0, until)
            condition.broadcast()
        }
    }

    /// Docplanner announced `limit` for `kind` (`X-RateLimit-Limit`): the client's real
    /// limit. Below the configured one it is followed; the configured one stays the cap.
    package func announce(_ kind: RequestKind, limit: Int) {
        guard limit > 0 else { return }  // not a limit: keep the configured one
        state.withLock { state, condition in
            state.announced[kind] = limit
            condition.broadcast()
        }
    }

    /// The limit of `kind` in force: the configured one, or Docplanner's lower one.
    package func limit(_ kind: RequestKind) -> Int {
        let window = policy.window(kind)
        return state.withLock { state, _ in state.limit(kind, window) }
    }

    /// How many permits of `kind` count in the current window (in flight, or ended within it).
    package func used(_ kind: RequestKind) -> Int {
        let window = policy.window(kind)
        return state.withLock { state, _ in
            state.prune(kind, before: clock.now() - window.period)
            return state.used(kind)
        }
    }

    /// How many permits of `kind` are left in the current window (the limit less those
    /// taken); 0 while Docplanner has paused that kind (429, `X-RateLimit-Remaining: 0`).
    package func remaining(_ kind: RequestKind) -> Int {
        let window = policy.window(kind)
        return state.withLock { state, _ in
            let now = clock.now()
            if let paused = state.pausedUntil[kind], paused > now { return 0 }
            state.prune(kind, before: now - window.period)
            return max(0, state.limit(kind, window) - state.used(kind))
        }
    }

    /// How many requests of `kind` are waiting for a permit.
    package func waiting(_ kind: RequestKind) -> Int {
        state.withLock { state, _ in state.queue[kind, default: []].count }
    }
}

/// What the limiter tracks, guarded by `LockedState`.
struct LimiterState {
    /// Set by `close()`: no permit is granted any more.
    var closed = false
    struct Ticket: Equatable {
        let priority: RequestPriority
        let sequence: UInt64
    }

    /// When the requests of ended permits ended, inside the current window, oldest first.
    var ended: [RequestKind: [Double]] = [:]
    /// Permits granted whose requests have not ended.
    var inFlight: [RequestKind: Int] = [:]
    var pausedUntil: [RequestKind: Double] = [:]
    /// Limits Docplanner announced (`X-RateLimit-Limit`).
    var announced: [RequestKind: Int] = [:]
    var queue: [RequestKind: [Ticket]] = [:]
    var nextSequence: UInt64 = 0

    /// The configured limit, or the lower one Docplanner announced.
    func limit(_ kind: RequestKind, _ window: RateLimitPolicy.Window) -> Int {
        min(window.limit, announced[kind] ?? window.limit)
    }

    /// The limit for a request of `priority`: low-priority requests (slot feeds,
    /// reconciliation) leave a quarter of each window to the others, so a booking made
    /// right after a burst of slot feeds does not wait for the next window.
    func limit(_ kind: RequestKind, _ window: RateLimitPolicy.Window, for priority: RequestPriority) -> Int {
        let limit = limit(kind, window)
        return priority == .low && limit >= 4 ? limit - limit / 4 : limit
    }

    mutating func enqueue(_ kind: RequestKind, priority: RequestPriority) -> Ticket {
        nextSequence += 1
        let ticket = Ticket(priority: priority, sequence: nextSequence)
        queue[kind, default: []].append(ticket)
        return ticket
    }

    mutating func dequeue(_ kind: RequestKind, _ ticket: Ticket) {
        queue[kind]?.removeAll { $0 == ticket }
    }

    /// The waiting ticket that goes next: highest priority, then earliest.
    func head(_ kind: RequestKind) -> Ticket? {
        queue[kind, default: []].min {
            ($0.priority.rawValue, -Int64($0.sequence)) > ($1.priority.rawValue, -Int64($1.sequence))
        }
    }

    /// Permits of `kind` that count: in flight, or ended inside the window.
    func used(_ kind: RequestKind) -> Int {
        (ended[kind]?.count ?? 0) + (inFlight[kind] ?? 0)
    }

    mutating func prune(_ kind: RequestKind, before cutoff: Double) {
        guard var times = ended[kind] else { return }
        let stale = times.prefix { $0 <= cutoff }.count
        if stale > 0 {
            times.removeFirst(stale)
            ended[kind] = times
        }
    }
}

/// A value guarded by an `NSCondition`, which also lets threads wait for it to change.
///
/// `@unchecked Sendable`: `value` is only read or written inside `withLock`, which holds the
/// condition's lock (also while a thread waits, the wait releases and retakes it).
final class LockedState: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: LimiterState

    init(_ value: LimiterState) { self.value = value }

    func withLock<Result>(_ body: (inout LimiterState, NSCondition) throws -> Result) rethrows -> Result {
        condition.lock()
        defer { condition.unlock() }
        return try body(&value, condition)
    }
}
