import Foundation
import Synchronization

/// One named thread that runs until stopped, for the daemon's periodic work (collecting
/// clinic changes, pulling notifications, releasing failed pushes, watching pings).
/// `pause` sleeps but returns at once on `stop`, so stopping never waits out a sleep.
public final class BackgroundLoop: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let signal = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    public init() {}

    /// True once `stop` was called.
    public var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Starts the thread named `name` running `body`; `body` should return when
    /// `isStopping` turns true.
    public func start(name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let thread = Thread { [finished] in
            body()
            finished.leave()
        }
        thread.name = name
        thread.start()
    }

    /// Waits up to `seconds`, less when stopped.
    public func pause(_ seconds: Double) {
        guard seconds > 0, !isStopping else { return }
        _ = signal.wait(timeout: .now() + seconds)
    }

    /// Ends the current pause early (or the next one, if none is under way).
    public func wake() {
        signal.signal()
    }

    /// Asks the thread to finish and waits until it has (at once if it never started).
    public func stop() {
        stopping.store(true, ordering: .releasing)
        signal.signal()
        finished.wait()
    }
}
