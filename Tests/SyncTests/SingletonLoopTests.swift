import Foundation
import Scheduling
import Sync
import Synchronization
import TestSupport
import Testing

/// A gate that hands the singleton over when the test says so.
private final class TestGate: SingletonGate {
    let held = Atomic<Bool>(false)
    let released = Atomic<Int>(0)
    func tryHold() -> Bool { held.load(ordering: .relaxed) }
    func release() { released.add(1, ordering: .relaxed) }
}

/// `BackgroundLoop(singleton:)`: turns run only while this instance holds the singleton;
/// the first try after it becomes free runs a turn at once; stop lets it go.
@Suite struct SingletonLoopTests {
    @Test func turnsRunOnlyWhileTheSingletonIsHeld() throws {
        let scheduler = WorkScheduler(threads: 1, name: "singleton-test")
        scheduler.start()
        defer { scheduler.stop() }
        let gate = TestGate()
        let turns = Atomic<Int>(0)
        let loop = BackgroundLoop(scheduler: scheduler, singleton: gate)
        loop.start(name: "test") {
            turns.add(1, ordering: .relaxed)
            return 3600
        }
        // Another instance holds it: no turn, however often the loop is woken.
        for _ in 0..<5 { loop.wake() }
        usleep(200_000)
        #expect(turns.load(ordering: .relaxed) == 0)
        // It becomes free: the next try (within `singletonRetry`) runs a turn.
        gate.held.store(true, ordering: .relaxed)
        #expect(eventually(attempts: 100) { turns.load(ordering: .relaxed) == 1 })
        loop.stop()
        #expect(gate.released.load(ordering: .relaxed) == 1, "stop lets the singleton go for another instance")
    }
}
