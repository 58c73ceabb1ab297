import Foundation
import TestSupport

@testable import Store

/// A store in a fresh temporary directory with a manual clock.
final class TestStore {
    let directory: TemporaryDirectory
    let clock = ManualClock()
    let store: Store

    init(
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, initialDelay: 10, maxDelay: 100),
        quarantineLimit: Int = 1000,
        outcomeObserver: JobOutcomeObserver? = nil
    ) throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-store")
        store = try Store(
            path: directory.file("store.sqlite"), clock: clock, retryPolicy: retryPolicy,
            quarantineLimit: quarantineLimit,
            outcomeObserver: outcomeObserver)
    }

    deinit {
        store.close()
        directory.remove()
    }
}

func event(_ key: String, ordering: String? = nil, body: String = "{}") -> InboxItem {
    InboxItem(
        body: Array(body.utf8), sourceAddress: "127.0.0.1", dedupKey: key, eventName: "slot-booked",
        orderingKey: ordering)
}
