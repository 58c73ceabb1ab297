import Foundation
import Synchronization

/// Pushes the callback URL did not accept. Docplanner's guide: a push answered 4xx/5xx (or
/// not answered) "is re-sent three times, after 1, 5 and 15 minutes" (API-DIGEST.md, "From
/// Docplanner's integration guide"); each delay counts from the failed attempt before it.
/// `POST /notifications/release` re-sends every push still undelivered, waiting or not,
/// once per `interval` seconds (integrations-api.yml `Release Notifications`). Undelivered
/// pushes expire after 14 days. Blocking events are never kept: they are questions.
final class PushRedelivery: Sendable {
    struct Failed: Sendable {
        var body: Data
        var name: String
        /// When the push first failed (for the 14-day expiry).
        var failedAt: Double
        /// Automatic re-sends made so far.
        var resent: Int
        /// When the next automatic re-send is due; nil once the three are used up.
        var dueAt: Double?
    }

    enum Release: Equatable {
        /// Accepted: these many pushes will be sent again.
        case accepted(Int)
        /// Too soon after the previous release: retry after these many seconds.
        case tooSoon(retryAfter: Int)
    }

    /// The guide's delays before the first, second and third re-send.
    static let delays: [Double] = [60, 300, 900]
    static let expiry: Double = 14 * 86400
    private let interval: Double
    private let state = Mutex<(failed: [Failed], lastRelease: Double?, releases: Int)>(([], nil, 0))
    /// Signalled when a re-send is scheduled (the `RedeliveryLoop` waits on it).
    let wakeup = NSCondition()

    init(interval: Double) { self.interval = interval }

    /// A push failed for the first time: re-sent after the first delay.
    func failed(_ body: Data, name: String, now: Double) {
        state.withLock {
            $0.failed.append(Failed(body: body, name: name, failedAt: now, resent: 0, dueAt: now + Self.delays[0]))
        }
        signal()
    }

    /// An automatic re-send failed too: the next delay, or kept for a release after the third.
    func failedAgain(_ push: Failed, now: Double) {
        var push = push
        push.resent += 1
        push.dueAt = push.resent < Self.delays.count ? now + Self.delays[push.resent] : nil
        state.withLock { $0.failed.append(push) }
        signal()
    }

    /// A released push refused again: kept for the next release, without automatic re-sends.
    func add(_ body: Data, name: String, failedAt: Double) {
        state.withLock {
            $0.failed.append(Failed(body: body, name: name, failedAt: failedAt, resent: Self.delays.count, dueAt: nil))
        }
    }

    /// Takes the pushes whose automatic re-send is due at `now` (expired ones are dropped).
    func takeDue(now: Double) -> [Failed] {
        state.withLock { state in
            state.failed.removeAll { now - $0.failedAt > Self.expiry }
            let due = state.failed.filter { $0.dueAt.map { $0 <= now } ?? false }
            state.failed.removeAll { $0.dueAt.map { $0 <= now } ?? false }
            return due
        }
    }

    /// The earliest automatic re-send due, if any.
    var nextDue: Double? { state.withLock { $0.failed.compactMap(\.dueAt).min() } }

    /// Takes every kept push for sending again, unless the previous release was too recent.
    func release(now: Double) -> (Release, [Failed]) {
        state.withLock { state in
            if let last = state.lastRelease, now - last < interval {
                return (.tooSoon(retryAfter: max(1, Int((last + interval - now).rounded(.up)))), [])
            }
            state.lastRelease = now
            state.releases += 1
            let due = state.failed.filter { now - $0.failedAt <= Self.expiry }
            state.failed = []
            return (.accepted(due.count), due)
        }
    }

    var pending: Int { state.withLock { $0.failed.count } }
    var releases: Int { state.withLock { $0.releases } }
    /// The pushes waiting for an automatic re-send, the soonest first.
    var scheduled: [Failed] {
        state.withLock { $0.failed.filter { $0.dueAt != nil }.sorted { $0.dueAt! < $1.dueAt! } }
    }

    private func signal() {
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
    }
}
