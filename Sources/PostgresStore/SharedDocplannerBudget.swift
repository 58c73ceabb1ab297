import DocplannerAPI
import Foundation

/// A tenant's Docplanner budgets on the PostgreSQL store, for `RateLimiter(shared:)`: one
/// `SharedRateWindow` per kind with the policy's windows. While the database cannot be
/// asked, no permit is granted (asked again in a second): the budget is never exceeded.
package struct SharedDocplannerBudget: SharedPermits {
    private let windows: [RequestKind: SharedRateWindow]

    package init(endpoint: PostgresEndpoint, tenant: String, policy: RateLimitPolicy = .docplanner) {
        var windows: [RequestKind: SharedRateWindow] = [:]
        for kind in RequestKind.allCases {
            let window = policy.window(kind)
            windows[kind] = SharedRateWindow(
                endpoint: endpoint, tenant: tenant, kind: kind.rawValue, limit: window.limit, period: window.period)
        }
        self.windows = windows
    }

    package func take(_ kind: RequestKind) -> Double? {
        guard let window = windows[kind] else { return nil }
        do { return try window.tryTake() } catch { return 1 }
    }
}
