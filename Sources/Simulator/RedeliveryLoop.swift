import DocplannerAPI
import Foundation
import Synchronization

/// The thread that re-sends failed pushes when they are due, on the simulator's clock (see
/// `PushRedelivery` for the guide's 1, 5 and 15 minutes). Waits without a deadline while
/// nothing is scheduled, so a test clock that jumps to deadlines stays put.
final class RedeliveryLoop: Sendable {
    private let hub: NotificationHub
    private let clock: any DocplannerClock
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(hub: NotificationHub, clock: any DocplannerClock) {
        self.hub = hub
        self.clock = clock
    }

    func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        Thread.detachNewThread { [self] in
            let redelivery = hub.redelivery
            while running.load(ordering: .acquiring) {
                redelivery.wakeup.lock()
                while running.load(ordering: .acquiring) {
                    let due = redelivery.nextDue
                    if let due, clock.now() >= due { break }
                    clock.wait(on: redelivery.wakeup, until: due)
                }
                redelivery.wakeup.unlock()
                guard running.load(ordering: .acquiring) else { break }
                hub.redeliverDue(now: clock.now())
            }
            finished.signal()
        }
    }

    /// Stops the thread and waits for a re-send in flight.
    func stop() {
        guard running.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        let wakeup = hub.redelivery.wakeup
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
        finished.wait()
    }
}
