import DocplannerAPI
import Synchronization

/// The API requests the simulator answered (the latest ones), for the snapshot and tests.
final class RequestLog: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        var status: Int
        /// Seconds since 1970 on the simulator's clock.
        var at: Double
        /// Injected fault, if any (`drop`, `5xx`, `429`, `token`).
        var fault: String?
    }

    private let capacity: Int
    private let state = Mutex<(entries: [Entry], byStatus: [Int: Int], total: Int, writes: Int)>(([], [:], 0, 0))

    init(capacity: Int = 1000) { self.capacity = capacity }

    func record(_ entry: Entry) {
        state.withLock { state in
            state.entries.append(entry)
            if state.entries.count > capacity { state.entries.removeFirst(state.entries.count - capacity) }
            state.byStatus[entry.status, default: 0] += 1
            state.total += 1
            if entry.method != "GET" && entry.method != "HEAD" { state.writes += 1 }
        }
    }

    var entries: [Entry] { state.withLock { $0.entries } }
    var byStatus: [Int: Int] { state.withLock { $0.byStatus } }
    var total: Int { state.withLock { $0.total } }
    /// Requests other than GET and HEAD, all time (the budget Docplanner limits to 40 a minute).
    var writes: Int { state.withLock { $0.writes } }
}
