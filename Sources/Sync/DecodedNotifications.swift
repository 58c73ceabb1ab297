import DocplannerAPI
import Synchronization

/// Callback bodies as the callback endpoint decoded them, by inbox job id, so that the
/// inbound worker that applies the event does not decode the same body again: the
/// endpoint `keep`s each notification once its event is stored, the worker `take`s it.
/// Bounded: past `capacity` the oldest are dropped, and a job whose notification is not
/// here (dropped, stored before a restart, pulled, retried) is decoded from its payload.
package final class DecodedNotifications: Sendable {
    private struct State {
        var byID: [Int64: DocplannerNotification] = [:]
        var order: [Int64] = []
        var head = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    package init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    /// Keeps the decoded notification of inbox job `id`.
    package func keep(_ notification: DocplannerNotification, id: Int64) {
        state.withLock { state in
            if state.byID.updateValue(notification, forKey: id) == nil { state.order.append(id) }
            while state.byID.count > capacity, state.head < state.order.count {
                state.byID[state.order[state.head]] = nil
                state.head += 1
            }
            if state.head > 1024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    /// The notification of job `id`, if kept; it is forgotten here.
    package func take(_ id: Int64) -> DocplannerNotification? {
        state.withLock { $0.byID.removeValue(forKey: id) }
    }

    /// Notifications held now.
    package var count: Int { state.withLock { $0.byID.count } }
}
