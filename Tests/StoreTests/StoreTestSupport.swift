import Foundation
import PostgresStore
import SQLite
import TestSupport

@testable import Store

/// A store with a manual clock: in a fresh temporary directory, or, when
/// `TEST_STORE_BACKEND=postgres` (the second run of this suite in `scripts/test.sh`), in a
/// fresh schema of the test server: every test written with it is the shared store suite
/// of issue 18, run against each backend.
final class TestStore {
    let directory: TemporaryDirectory
    let clock = ManualClock()
    let store: Store
    let location: StoreLocation

    /// The backend this run of the suite tests.
    static let backend: SQLDialect =
        ProcessInfo.processInfo.environment["TEST_STORE_BACKEND"] == "postgres" ? .postgres : .sqlite

    /// Where a new test store goes.
    static func newLocation(in directory: TemporaryDirectory) -> StoreLocation {
        switch backend {
        case .sqlite: .sqlite(path: directory.file("store.sqlite"))
        case .postgres:
            .postgres(PostgresEndpoint(url: testServerURL ?? "postgresql:///missing", schema: newTestSchema("st")))
        }
    }

    init(
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, initialDelay: 10, maxDelay: 100),
        quarantineLimit: Int = 1000,
        outcomeObserver: JobOutcomeObserver? = nil
    ) throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-store")
        location = Self.newLocation(in: directory)
        store = try Store(
            location: location, clock: clock, retryPolicy: retryPolicy,
            quarantineLimit: quarantineLimit,
            outcomeObserver: outcomeObserver)
    }

    /// A connection of its own to the store's database, as another process would open.
    func otherConnection() throws -> Connection { Connection(try location.open(false)) }

    /// Whether the store's files hold `text` (SQLite: the database and its log; the bytes a
    /// deletion must not leave behind). Nil on PostgreSQL, whose files are the server's.
    func filesContain(_ text: String) throws -> Bool? {
        Self.backend == .sqlite ? try storeFiles(store.path).contains(text) : nil
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
