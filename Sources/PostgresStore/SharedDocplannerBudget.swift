import DocplannerAPI
import Foundation

/// A tenant's Docplanner budgets on the PostgreSQL store, for `RateLimiter(shared:)`: one
/// `SharedRateWindow` per kind with the policy's windows. While the database cannot be
/// asked, no permit is granted (asked again in a second): the budget is never exceeded.
/// `longestRequest`: the seconds a Docplanner call may take (connection and answer), how
/// long a permit counts while its request is in flight.
package struct SharedDocplannerBudget: SharedPermits {
    private let windows: [RequestKind: SharedRateWindow]

    package init(
        endpoint: PostgresEndpoint, tenant: String, policy: RateLimitPolicy = .docplanner, longestRequest: Double = 40
    ) {
        var windows: [RequestKind: SharedRateWindow] = [:]
        for kind in RequestKind.allCases {
            let window = policy.window(kind)
            windows[kind] = SharedRateWindow(
                endpoint: endpoint, tenant: tenant, kind: kind.rawValue, limit: window.limit, period: window.period,
                longestRequest: longestRequest)
        }
        self.windows = windows
    }

    package func take(_ kind: RequestKind) -> SharedGrant {
        guard let window = windows[kind] else { return .wait(seconds: 1) }
        do { return try window.tryTake() } catch { return .wait(seconds: 1) }
    }

    package func finish(_ kind: RequestKind, token: Int64) {
        // Not told: the permit counts until its in-flight bound, longer than needed only.
        try? windows[kind]?.finish(token: token)
    }
}
