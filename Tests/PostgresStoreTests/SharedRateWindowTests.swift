import DocplannerAPI
import Foundation
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing

/// `SharedRateWindow`: instances asking at once share one budget per tenant and kind.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct SharedRateWindowTests {
    @Test func twoInstancesTogetherStayWithinOneBudget() throws {
        let endpoint = PostgresEndpoint(url: testServerURL!, schema: newTestSchema("r"))
        let tenant = "t\(UInt32.random(in: 0...UInt32.max))"
        let windows = (0..<2).map { _ in
            // Requests that end as they are granted: permits count from their grant.
            SharedRateWindow(endpoint: endpoint, tenant: tenant, kind: "write", limit: 5, period: 3, longestRequest: 0)
        }
        let other = SharedRateWindow(
            endpoint: endpoint, tenant: tenant + "-b", kind: "write", limit: 5, period: 3, longestRequest: 0)
        let granted = Mutex<Int>(0)
        let waits = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        // Two instances, ten tries each, at once.
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for _ in 0..<10 {
                do {
                    if case .wait(let wait) = try windows[index].tryTake() {
                        waits.withLock { $0.append(wait) }
                    } else {
                        granted.withLock { $0 += 1 }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(granted.withLock { $0 } == 5, "the budget of 5 is shared, not 5 each")
        #expect(waits.withLock { $0 }.count == 15 && waits.withLock { $0 }.allSatisfy { $0 > 0 && $0 <= 3 })
        #expect(try other.tryTake().isGranted, "another tenant has its own budget")
        // Once the oldest permits leave the window, permits are granted again.
        guard case .wait(let wait) = try windows[0].tryTake() else {
            Issue.record("the window is full")
            return
        }
        usleep(UInt32((wait + 0.05) * 1_000_000))
        #expect(try windows[1].tryTake().isGranted)
    }

    /// A permit counts while its request is in flight (up to `longestRequest`) and for a
    /// period after `finish`, not after its grant: Docplanner counts a request on arrival.
    @Test func aPermitCountsFromTheEndOfItsRequest() throws {
        let endpoint = PostgresEndpoint(url: testServerURL!, schema: newTestSchema("f"))
        let tenant = "f\(UInt32.random(in: 0...UInt32.max))"
        let window = SharedRateWindow(
            endpoint: endpoint, tenant: tenant, kind: "write", limit: 1, period: 1, longestRequest: 30)
        guard case .granted(let token) = try window.tryTake() else {
            Issue.record("an empty window grants")
            return
        }
        usleep(1_100_000)
        guard case .wait(let inFlight) = try window.tryTake() else {
            Issue.record("a permit in flight for longer than the period still counts")
            return
        }
        #expect(inFlight > 25 && inFlight <= 31, "until its longest end: \(inFlight)")
        try window.finish(token: token)
        guard case .wait(let ended) = try window.tryTake() else {
            Issue.record("an ended permit counts for a period after its end")
            return
        }
        #expect(ended > 0.5 && ended <= 1, "\(ended)")
        usleep(UInt32((ended + 0.05) * 1_000_000))
        #expect(try window.tryTake().isGranted)
    }
}

extension SharedGrant {
    fileprivate var isGranted: Bool {
        if case .granted = self { return true }
        return false
    }
}

/// `RateLimiter(shared:)` over the PostgreSQL budget: two instances' limiters grant no more
/// than one budget between them.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct SharedLimiterTests {
    @Test func twoInstancesLimitersShareOneWriteBudget() throws {
        let endpoint = PostgresEndpoint(url: testServerURL!, schema: newTestSchema("l"))
        let tenant = "l\(UInt32.random(in: 0...UInt32.max))"
        let policy = RateLimitPolicy(writes: .init(limit: 4, period: 30))
        let limiters = (0..<2).map { _ in
            RateLimiter(
                policy: policy, shared: SharedDocplannerBudget(endpoint: endpoint, tenant: tenant, policy: policy))
        }
        let granted = Mutex<Int>(0)
        let deadline = Date().timeIntervalSince1970 + 1.5
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for _ in 0..<4 where limiters[index].acquire(.write, priority: .high, deadline: deadline) {
                granted.withLock { $0 += 1 }
            }
        }
        #expect(granted.withLock { $0 } == 4, "4 writes in the window between both, not 4 each")
    }
}
