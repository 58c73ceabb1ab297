import Foundation
import Scheduling
import Synchronization
import Testing

@Suite struct WorkSchedulerTests {
    /// Waits (bounded) until `done()`; true when it became true.
    static func eventually(_ done: () -> Bool) -> Bool {
        for _ in 0..<500 {
            if done() { return true }
            usleep(10_000)
        }
        return done()
    }

    @Test func everySubmittedTaskRunsOnceOnAtMostThePoolsThreads() {
        let pool = WorkScheduler(threads: 3, name: "test-pool")
        defer { pool.stop() }
        let ran = Mutex<[Int: Int]>([:])
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        for index in 0..<1000 {
            pool.submit {
                let now = running.add(1, ordering: .relaxed).newValue
                most.max(now, ordering: .relaxed)
                ran.withLock { $0[index, default: 0] += 1 }
                running.subtract(1, ordering: .relaxed)
            }
        }
        #expect(Self.eventually { ran.withLock { $0.count } == 1000 })
        #expect(ran.withLock { $0.values.allSatisfy { $0 == 1 } })
        let most3 = most.load(ordering: .relaxed)
        #expect(most3 <= 3)
    }

    @Test func timersFireInDeadlineOrderAndACancelledOneNever() {
        let pool = WorkScheduler(threads: 2, name: "test-timers")
        defer { pool.stop() }
        let fired = Mutex<[String]>([])
        pool.schedule(after: 0.15) { fired.withLock { $0.append("late") } }
        let cancelled = pool.schedule(after: 0.05) { fired.withLock { $0.append("cancelled") } }
        pool.schedule(after: 0.02) { fired.withLock { $0.append("early") } }
        pool.cancel(cancelled)
        #expect(Self.eventually { fired.withLock { $0.count } == 2 })
        #expect(fired.withLock { $0 } == ["early", "late"])
    }

    @Test func aTimerSetWhileThePoolSleepsOnALaterOneStillFiresFirst() {
        let pool = WorkScheduler(threads: 1, name: "test-keeper")
        defer { pool.stop() }
        let fired = Mutex<[String]>([])
        pool.schedule(after: 30) { fired.withLock { $0.append("far") } }
        usleep(20_000)  // the keeper now sleeps until the far timer
        pool.schedule(after: 0.01) { fired.withLock { $0.append("near") } }
        #expect(Self.eventually { fired.withLock { $0 } == ["near"] })
    }

    @Test func stopWaitsForTheTaskInHandAndDropsTimers() {
        let pool = WorkScheduler(threads: 2, name: "test-stop")
        let finished = Atomic<Bool>(false)
        let started = Atomic<Bool>(false)
        let timerFired = Atomic<Bool>(false)
        pool.schedule(after: 0.3) { timerFired.store(true, ordering: .relaxed) }
        pool.submit {
            started.store(true, ordering: .relaxed)
            usleep(100_000)
            finished.store(true, ordering: .relaxed)
        }
        #expect(Self.eventually { started.load(ordering: .relaxed) })
        pool.stop()
        let finishedBeforeStopReturned = finished.load(ordering: .relaxed)
        #expect(finishedBeforeStopReturned)
        usleep(400_000)
        let fired = timerFired.load(ordering: .relaxed)
        #expect(!fired)
    }

    @Test func theHeartbeatGrowsWhileIdle() {
        let pool = WorkScheduler(threads: 1, name: "test-beat")
        defer { pool.stop() }
        pool.start()
        let first = pool.turnCount
        #expect(Self.eventually { pool.turnCount > first })
        #expect(WorkScheduler(threads: 1, name: "unwatched", watched: false).heartbeat == nil)
    }
}

@Suite struct CoalescedWorkTests {
    @Test func signalsDuringARunMakeOneMoreRunNotOneEach() {
        let pool = WorkScheduler(threads: 4, name: "test-coalesce")
        defer { pool.stop() }
        let gate = DispatchSemaphore(value: 0)
        let runs = Atomic<Int>(0)
        let work = CoalescedWork(scheduler: pool) {
            if runs.add(1, ordering: .relaxed).newValue == 1 { gate.wait() }
        }
        work.signal()
        #expect(WorkSchedulerTests.eventually { runs.load(ordering: .relaxed) == 1 })
        for _ in 0..<50 { work.signal() }
        gate.signal()
        #expect(WorkSchedulerTests.eventually { work.runs == 2 })
        usleep(100_000)
        let total = runs.load(ordering: .relaxed)
        #expect(total == 2)
        work.stop()
    }

    @Test func neverMoreRunsAtOnceThanTheLimit() {
        let pool = WorkScheduler(threads: 6, name: "test-limit")
        defer { pool.stop() }
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let work = CoalescedWork(scheduler: pool, limit: 2) {
            let now = running.add(1, ordering: .relaxed).newValue
            most.max(now, ordering: .relaxed)
            usleep(5_000)
            running.subtract(1, ordering: .relaxed)
        }
        for _ in 0..<200 {
            work.signal()
            usleep(200)
        }
        #expect(WorkSchedulerTests.eventually { running.load(ordering: .relaxed) == 0 && work.runs > 2 })
        work.stop()
        let most2 = most.load(ordering: .relaxed)
        #expect(most2 == 2)
    }

    @Test func aLaterSignalDoesNotPostponeAnEarlierOne() {
        let pool = WorkScheduler(threads: 2, name: "test-after")
        defer { pool.stop() }
        let work = CoalescedWork(scheduler: pool) {}
        work.signal(after: 0.02)
        work.signal(after: 60)
        #expect(WorkSchedulerTests.eventually { work.runs == 1 })
        work.stop()
    }

    @Test func stopWaitsForTheRunAndNoRunFollows() {
        let pool = WorkScheduler(threads: 2, name: "test-wstop")
        defer { pool.stop() }
        let inRun = Atomic<Bool>(false)
        let done = Atomic<Bool>(false)
        let work = CoalescedWork(scheduler: pool) {
            inRun.store(true, ordering: .relaxed)
            usleep(100_000)
            done.store(true, ordering: .relaxed)
        }
        work.signal()
        #expect(WorkSchedulerTests.eventually { inRun.load(ordering: .relaxed) })
        work.signal()
        work.stop()
        let doneBeforeStopReturned = done.load(ordering: .relaxed)
        #expect(doneBeforeStopReturned)
        let runs = work.runs
        work.signal()
        usleep(50_000)
        #expect(work.runs == runs)
    }
}

@Suite struct PartListTests {
    final class Log: Sendable {
        let lines = Mutex<[String]>([])
        func withLock<T>(_ body: (inout [String]) -> T) -> T { lines.withLock { body(&$0) } }
    }

    final class Part: BackgroundPart {
        let name: String
        let log: Log
        let beat: UInt64?
        init(_ name: String, _ log: Log, beat: UInt64?) {
            self.name = name
            self.log = log
            self.beat = beat
        }
        func start() { log.withLock { $0.append("start \(name)") } }
        func stop() { log.withLock { $0.append("stop \(name)") } }
        var heartbeat: UInt64? { beat }
    }

    @Test func partsStartInOrderStopInReverseAndOnlyWatchedOnesBeat() {
        let log = Log()
        let list: [(any BackgroundPart)?] = [
            Part("a", log, beat: 1), nil, Part("b", log, beat: nil), Part("c", log, beat: 3),
        ]
        let parts = PartList(list)
        parts.start()
        parts.stop()
        #expect(log.withLock { $0 } == ["start a", "start b", "start c", "stop c", "stop b", "stop a"])
        #expect(parts.heartbeats == [1, 3])
    }
}
