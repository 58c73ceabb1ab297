import Dispatch
import Foundation

extension ConfigurationLoader {
    /// `load(path:)` for synchronous callers (the CLI commands, the daemon's signal
    /// thread): the async loader runs on a task while the calling thread waits.
    package static func loadWaiting(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<LoadedConfiguration, ConfigurationError> {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(ConfigurationError) {
                box.result = .success(try await load(path: path, environment: environment))
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return box.result!
    }
}

/// Carries the loader's result from its task to the waiting thread.
private final class ResultBox: @unchecked Sendable {
    // @unchecked: written by the task before the semaphore is signalled, read after the wait.
    var result: Result<LoadedConfiguration, ConfigurationError>?
}
