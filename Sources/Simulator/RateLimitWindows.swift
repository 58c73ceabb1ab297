import DocplannerAPI
import Foundation
import HTTP1
import Synchronization

/// Docplanner's per-client budgets: a fixed window per client and kind (reads, writes)
/// that starts with the first request after the previous one ended. Every answer carries
/// `X-RateLimit-Limit`, `-Reset` (ISO 8601), `-Used` and `-Remaining`; over the budget
/// the answer is 429 with `Retry-After` until the reset.
final class RateLimitWindows: Sendable {
    enum Decision {
        case allowed(HTTPHeaders)
        case limited(HTTPHeaders, retryAfter: Int)
    }

    private struct Window {
        var start: Double
        var used: Int
    }

    /// Usage of one budget, for the snapshot.
    struct Usage: Sendable {
        var client: String
        var kind: RequestKind
        var used: Int
        var limit: Int
        var resetsAt: Double
    }

    let policy: RateLimitPolicy
    private let timeZone: TimeZone
    private let windows = Mutex<[String: Window]>([:])
    private let refusals = Atomic<Int>(0)

    /// Requests refused because their budget was spent, since the start.
    var refused: Int { refusals.load(ordering: .relaxed) }

    init(policy: RateLimitPolicy, timeZone: TimeZone) {
        self.policy = policy
        self.timeZone = timeZone
    }

    /// Counts one request of `kind` for `client` at `now`, or refuses it.
    func admit(client: String, kind: RequestKind, now: Double) -> Decision {
        let budget = policy.window(kind)
        let key = "\(client)|\(kind.rawValue)"
        return windows.withLock { windows in
            var window = windows[key] ?? Window(start: now, used: 0)
            if now >= window.start + budget.period { window = Window(start: now, used: 0) }
            let reset = window.start + budget.period
            if window.used >= budget.limit {
                windows[key] = window
                refusals.add(1, ordering: .relaxed)
                let headers = self.headers(limit: budget.limit, used: window.used, reset: reset)
                return .limited(headers, retryAfter: max(1, Int((reset - now).rounded(.up))))
            }
            window.used += 1
            windows[key] = window
            return .allowed(self.headers(limit: budget.limit, used: window.used, reset: reset))
        }
    }

    /// Every budget in use.
    func usage(now: Double) -> [Usage] {
        windows.withLock { windows in
            windows.compactMap { key, window in
                let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = RequestKind(rawValue: parts[1]) else { return nil }
                let budget = policy.window(kind)
                let current = now < window.start + budget.period
                return Usage(
                    client: parts[0], kind: kind, used: current ? window.used : 0, limit: budget.limit,
                    resetsAt: window.start + budget.period)
            }.sorted { ($0.client, $0.kind.rawValue) < ($1.client, $1.kind.rawValue) }
        }
    }

    private func headers(limit: Int, used: Int, reset: Double) -> HTTPHeaders {
        [
            ("X-RateLimit-Limit", String(limit)),
            ("X-RateLimit-Reset", DocplannerDateTime.format(Date(timeIntervalSince1970: reset), timeZone: timeZone)),
            ("X-RateLimit-Used", String(used)),
            ("X-RateLimit-Remaining", String(max(0, limit - used))),
        ]
    }
}
