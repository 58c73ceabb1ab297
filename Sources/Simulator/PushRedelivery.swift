import Foundation
import Synchronization

/// Pushes the callback URL did not accept, kept for `POST /notifications/release`, which
/// Docplanner allows once per `interval` seconds. Undelivered pushes expire after 14 days.
final class PushRedelivery: Sendable {
    struct Failed: Sendable {
        var body: Data
        var name: String
        var failedAt: Double
    }

    enum Release: Equatable {
        /// Accepted: these many pushes will be sent again.
        case accepted(Int)
        /// Too soon after the previous release: retry after these many seconds.
        case tooSoon(retryAfter: Int)
    }

    static let expiry: Double = 14 * 86400
    private let interval: Double
    private let state = Mutex<(failed: [Failed], lastRelease: Double?, releases: Int)>(([], nil, 0))

    init(interval: Double) { self.interval = interval }

    func add(_ body: Data, name: String, now: Double) {
        state.withLock { $0.failed.append(Failed(body: body, name: name, failedAt: now)) }
    }

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
}
