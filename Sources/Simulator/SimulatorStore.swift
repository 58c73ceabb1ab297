import Synchronization

/// The simulator's state behind one lock. Handlers hold it only to read and change
/// values, never while sending anything.
final class SimulatorStore: Sendable {
    private let state: Mutex<SimulatorState>

    init(_ state: SimulatorState) { self.state = Mutex(state) }

    func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout SimulatorState) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try state.withLock { state throws(Failure) -> Result in try body(&state) }
    }
}
