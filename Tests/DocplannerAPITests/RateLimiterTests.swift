import DocplannerAPI
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct RateLimiterTests {
    @Test func burstOfWritesStaysWithin40PerMinute() {
        let clock = TestClock(autoAdvance: true)
        let limiter = RateLimiter(clock: clock)
        let start = clock.now()
        var grants: [Double] = []
        for _ in 0..<100 {
            limiter.acquire(.write, priority: .normal)
            grants.append(clock.now() - start)
        }
        #expect(grants.prefix(40).allSatisfy { $0 == 0 })
        #expect(grants[40..<80].allSatisfy { $0 == 60 })
        #expect(grants[80..<100].allSatisfy { $0 == 120 })
        // No 60-second window holds more than 40 grants.
        for index in 0..<(grants.count - 40) {
            #expect(grants[index + 40] - grants[index] >= 60)
        }
        #expect(limiter.used(.write) == 20)
        // Reads have their own budget.
        #expect(limiter.acquire(.read, deadline: clock.now()))
    }

    /// A shared budget (`SharedPermits`) that grants `capacity` permits, then says to wait.
    final class FakeSharedBudget: SharedPermits, @unchecked Sendable {
        // @unchecked: `left` and `asked` only under `lock`.
        private let lock = NSLock()
        private var left: Int
        private(set) var asked = 0
        private(set) var finished: [Int64] = []
        init(capacity: Int) { left = capacity }
        func take(_ kind: RequestKind) -> SharedGrant {
            lock.lock()
            defer { lock.unlock() }
            asked += 1
            guard left > 0 else { return .wait(seconds: 30) }
            left -= 1
            return .granted(token: Int64(left))
        }
        func finish(_ kind: RequestKind, token: Int64) {
            lock.lock()
            defer { lock.unlock() }
            finished.append(token)
        }
    }

    /// Docplanner counts a request when it arrives, which may be any moment until its answer:
    /// a permit counts while its request is in flight, however long, and for a whole period
    /// after its end, not after its grant.
    @Test func aPermitCountsUntilAPeriodAfterItsRequestEnded() throws {
        let clock = TestClock()
        let shared = FakeSharedBudget(capacity: 5)
        let limiter = RateLimiter(
            policy: RateLimitPolicy(writes: .init(limit: 1, period: 60)), clock: clock, shared: shared)
        let permit = try #require(limiter.permit(.write, deadline: clock.now()))
        clock.advance(by: 100)
        #expect(limiter.permit(.write, deadline: clock.now()) == nil, "in flight for longer than the period")
        #expect(limiter.used(.write) == 1 && limiter.remaining(.write) == 0)
        limiter.finish(permit)
        #expect(shared.finished == [4], "the shared budget is told the request ended")
        clock.advance(by: 59)
        #expect(limiter.permit(.write, deadline: clock.now()) == nil, "59 s after the answer")
        clock.advance(by: 1)
        let next = try #require(limiter.permit(.write, deadline: clock.now()))
        limiter.finish(next)
        #expect(limiter.used(.write) == 1)
    }

    /// A request waiting for a window full of requests in flight goes once one of them has
    /// ended and left the window.
    @Test func aWaiterIsWokenByAnEndedRequestLeavingTheWindow() throws {
        let clock = TestClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(writes: .init(limit: 1, period: 60)), clock: clock)
        let permit = try #require(limiter.permit(.write))
        let granted = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if limiter.acquire(.write) { granted.signal() }
        }
        clock.advance(by: 120)
        #expect(granted.wait(timeout: .now() + 0.2) == .timedOut, "the first request is still in flight")
        limiter.finish(permit)
        #expect(granted.wait(timeout: .now() + 0.2) == .timedOut, "it ended just now")
        clock.advance(by: 60)
        #expect(granted.wait(timeout: .now() + 10) == .success)
    }

    @Test func aSharedBudgetHasTheLastWordOnEveryGrant() {
        let clock = TestClock(autoAdvance: true)
        let shared = FakeSharedBudget(capacity: 2)
        let limiter = RateLimiter(clock: clock, shared: shared)
        let start = clock.now()
        #expect(limiter.acquire(.write, deadline: start))
        #expect(limiter.acquire(.write, deadline: start))
        // The local window has room (40 a minute) but the shared one says wait 30 s.
        #expect(!limiter.acquire(.write, deadline: start + 10))
        #expect(limiter.used(.write) == 2, "a refused permit is not counted here")
        #expect(shared.asked == 3 || shared.asked == 4)
    }

    @Test func closingReleasesAWaitingRequestWithoutAPermit() {
        let limiter = RateLimiter(
            policy: RateLimitPolicy(reads: .init(limit: 1, period: 3600), writes: .init(limit: 1, period: 3600)))
        #expect(limiter.acquire(.write))
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            // The window is full for an hour: this waits until close().
            if !limiter.acquire(.write) { released.signal() }
        }
        usleep(100_000)
        limiter.close()
        #expect(released.wait(timeout: .now() + 10) == .success)
        #expect(!limiter.acquire(.read), "nothing is granted after close")
        #expect(limiter.used(.write) == 1)
    }

    @Test func remainingIsTheHeadroomInTheWindowAndZeroWhilePaused() {
        let clock = TestClock()
        let limiter = RateLimiter(
            policy: RateLimitPolicy(reads: .init(limit: 5, period: 3600), writes: .init(limit: 3, period: 60)),
            clock: clock)
        #expect(limiter.remaining(.write) == 3 && limiter.remaining(.read) == 5)
        limiter.acquire(.write)
        limiter.acquire(.write)
        limiter.acquire(.read)
        #expect(limiter.remaining(.write) == 1 && limiter.remaining(.read) == 4)
        clock.advance(by: 60)
        #expect(limiter.remaining(.write) == 3, "the minute's grants left the window")
        #expect(limiter.remaining(.read) == 4, "the hour's did not")
        limiter.pause(.write, until: clock.now() + 10)
        #expect(limiter.remaining(.write) == 0)
        clock.advance(by: 10)
        #expect(limiter.remaining(.write) == 3)
    }

    @Test func readsStayWithin8000PerHour() {
        let clock = TestClock(autoAdvance: true)
        let limiter = RateLimiter(clock: clock)
        for _ in 0..<8000 { limiter.acquire(.read) }
        #expect(clock.now() == 1_800_000_000)
        #expect(!limiter.acquire(.read, deadline: clock.now() + 3599))
        limiter.acquire(.read)
        #expect(clock.now() == 1_800_000_000 + 3600)
    }

    @Test func waitingHigherPriorityGoesFirst() throws {
        let clock = TestClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(writes: .init(limit: 1, period: 60)), clock: clock)
        limiter.acquire(.write)
        let order = Mutex<[String]>([])

        func start(_ name: String, _ priority: RequestPriority) {
            Thread.detachNewThread {
                limiter.acquire(.write, priority: priority)
                order.withLock { $0.append(name) }
            }
        }
        func waitUntil(_ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(5)
            while !condition() {
                guard Date() < deadline else { throw CancellationError() }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }

        start("low", .low)
        try waitUntil { limiter.waiting(.write) == 1 }
        start("normal", .normal)
        try waitUntil { limiter.waiting(.write) == 2 }
        start("high", .high)
        try waitUntil { limiter.waiting(.write) == 3 }
        #expect(order.withLock { $0 }.isEmpty)

        clock.advance(by: 60)
        try waitUntil { order.withLock { $0.count } == 1 }
        clock.advance(by: 60)
        try waitUntil { order.withLock { $0.count } == 2 }
        clock.advance(by: 60)
        try waitUntil { order.withLock { $0.count } == 3 }
        #expect(order.withLock { $0 } == ["high", "normal", "low"])
        #expect(limiter.waiting(.write) == 0)
    }

    @Test func pauseHoldsOneKind() {
        let clock = TestClock(autoAdvance: true)
        let start = clock.now()
        let limiter = RateLimiter(clock: clock)
        limiter.pause(.write, until: start + 10)
        #expect(!limiter.acquire(.write, deadline: start + 5))
        #expect(clock.now() == start + 5)
        #expect(limiter.waiting(.write) == 0)
        #expect(limiter.acquire(.read, deadline: clock.now()))
        clock.advance(by: 5)
        #expect(limiter.acquire(.write, deadline: clock.now()))
    }

    @Test func remainingIsTheHeadroomOfTheCurrentWindow() {
        let clock = TestClock()
        let limiter = RateLimiter(clock: clock)
        #expect(limiter.remaining(.write) == 40)
        #expect(limiter.remaining(.read) == 8000)
        for _ in 0..<3 { limiter.acquire(.write) }
        limiter.acquire(.read)
        #expect(limiter.remaining(.write) == 37)
        #expect(limiter.remaining(.read) == 7999)
        clock.advance(by: 61)
        #expect(limiter.remaining(.write) == 40, "the minute's grants left the window")
        #expect(limiter.remaining(.read) == 7999, "the hour's did not")
        limiter.pause(.write, until: clock.now() + 30)
        #expect(limiter.remaining(.write) == 0)
        clock.advance(by: 31)
        #expect(limiter.remaining(.write) == 40)
    }

    @Test func clientBurstIsSpreadOverMinutes() throws {
        let server = try scriptedDocplanner([api("PUT", "/", prefix: true, ScriptedResponse(status: 204))])
        defer { server.stop() }
        let clock = TestClock(autoAdvance: true)
        let client = client(of: server, clock: clock)
        let start = clock.now()
        for index in 0..<45 {
            try client.confirmBooking(facilityID: "1", doctorID: "2", addressID: "3", bookingID: "\(index)")
            #expect(clock.now() - start == (index < 40 ? 0 : 60))
        }
        #expect(try server.requests().api.count == 45)
        // One token for the whole burst, and one kept-alive connection.
        #expect(client.tokens.fetches == 1)
        #expect(Set(try server.requests().api.map(\.clientPort)).count == 1)
    }

    @Test func aLowerLimitAnnouncedByDocplannerIsFollowed() throws {
        // Docplanner lowered this client's writes to 10 a minute (X-RateLimit-Limit).
        let server = try scriptedDocplanner([
            api("PUT", "/", prefix: true, ScriptedResponse(status: 204, headers: ["X-RateLimit-Limit": "10"]))
        ])
        defer { server.stop() }
        let clock = TestClock(autoAdvance: true)
        let client = client(of: server, clock: clock)
        let start = clock.now()
        var waits: [Double] = []
        for index in 0..<12 {
            try client.confirmBooking(facilityID: "1", doctorID: "2", addressID: "3", bookingID: "\(index)")
            waits.append(clock.now() - start)
        }
        // The first answer announced the limit: ten in the first minute, then the next window.
        #expect(waits.prefix(10).allSatisfy { $0 == 0 }, "\(waits)")
        #expect(waits[10] == 60, "\(waits)")
        #expect(client.limiter.limit(.write) == 10)
        #expect(client.limiter.limit(.read) == 8000)
        // A higher announcement never lifts the configured cap.
        client.limiter.announce(.write, limit: 1000)
        #expect(client.limiter.limit(.write) == 40)
    }

    @Test func slotFeedsLeaveAQuarterOfTheWindowToBookings() {
        let clock = TestClock(autoAdvance: true)
        let limiter = RateLimiter(clock: clock)
        let start = clock.now()
        // A burst of low-priority writes (a slot feed) takes 30 of the 40 a minute …
        for _ in 0..<30 { limiter.acquire(.write, priority: .low) }
        #expect(clock.now() == start)
        #expect(!limiter.acquire(.write, priority: .low, deadline: start))
        // … so bookings still go at once, up to the limit.
        for _ in 0..<10 { #expect(limiter.acquire(.write, priority: .high, deadline: start)) }
        #expect(!limiter.acquire(.write, priority: .high, deadline: start))
        // The next low-priority write waits for the window.
        limiter.acquire(.write, priority: .low)
        #expect(clock.now() - start == 60)
    }
}
