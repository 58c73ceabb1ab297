import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// The libpq wrapper against a real server: `scripts/with-postgres.sh` starts a throw-away
/// cluster and names it in `TEST_POSTGRES_URL` (`make test` runs `swift test` so);
/// without it these tests are skipped and say why.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct PostgresConnectionTests {
    static var url: String? { testServerURL }

    /// A connection whose tables live in a schema of its own (tests run in parallel).
    private func connection(schema: String = newTestSchema()) throws -> PostgresConnection {
        try testPostgresConnection(schema: schema)
    }

    @Test func parametersAndResultsRoundTripAsText() throws {
        let db = try connection()
        #expect(db.serverMajorVersion >= 13)
        try db.execute(
            "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, ratio DOUBLE PRECISION, ok BOOLEAN, body BYTEA)")
        let inserted = try db.execute(
            "INSERT INTO t VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)",
            [
                .integer(1), .text("Zażółć 'gęślą' jaźń; DROP TABLE t"), .real(0.25), .bool(true),
                .bytes([0, 1, 0xFE, 0xFF]),
                .integer(Int64.max), .null, .null, .null, .null,
            ])
        #expect(inserted.affected == 2)
        let rows = try db.execute("SELECT id, name, ratio, ok, body FROM t ORDER BY id")
        #expect(rows.columns == ["id", "name", "ratio", "ok", "body"])
        #expect(rows.count == 2)
        #expect(rows.integer(0, "id") == 1)
        #expect(rows.text(0, "name") == "Zażółć 'gęślą' jaźń; DROP TABLE t")
        #expect(rows.text(0, "ratio") == "0.25")
        #expect(rows.text(0, "ok") == "t")
        #expect(rows.bytes(0, "body") == [0, 1, 0xFE, 0xFF])
        #expect(rows.integer(1, "id") == Int64.max)
        #expect(rows.text(1, "name") == nil && rows.bytes(1, "body") == nil)
        #expect(rows.text(2, "name") == nil && rows.text(0, "no_such_column") == nil)
    }

    @Test func serverErrorsCarryTheirSQLState() throws {
        let db = try connection()
        try db.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
        try db.execute("INSERT INTO u VALUES ($1)", [.text("a")])
        #expect {
            try db.execute("INSERT INTO u VALUES ($1)", [.text("a")])
        } throws: { error in
            (error as? PostgresError)?.isUniqueViolation == true && !"\(error)".contains("\n")
        }
        #expect(throws: PostgresError.self) { try db.execute("SELECT * FROM missing_table") }
        do {
            try db.execute("SELEC 1")
            Issue.record("accepted")
        } catch {
            if case .server(let state, _) = error {
                #expect(state == "42601")  // syntax_error
            } else {
                Issue.record("\(error)")
            }
        }
        // The connection is still usable after an error.
        #expect(try db.execute("SELECT 1 AS one").integer(0, "one") == 1)
    }

    @Test func aTransactionCommitsOrRollsBackAsAWhole() throws {
        let db = try connection()
        try db.execute("CREATE TABLE v (n INT)")
        try db.transaction { () throws(PostgresError) in
            try db.execute("INSERT INTO v VALUES (1)")
            try db.execute("INSERT INTO v VALUES (2)")
        }
        #expect(throws: PostgresError.self) {
            try db.transaction { () throws(PostgresError) in
                try db.execute("INSERT INTO v VALUES (3)")
                try db.execute("INSERT INTO v VALUES ('not a number')")
            }
        }
        #expect(try db.execute("SELECT count(*) AS n FROM v").integer(0, "n") == 2)
    }

    @Test func twoClaimersSkippingLockedRowsNeverTakeTheSameRow() throws {
        // The claim the PostgreSQL store will make (issue 18): each transaction takes up to
        // 5 pending rows, skipping those another holds; 40 rows, two connections taking in
        // turn while both hold their claims open.
        let schema = newTestSchema()
        let first = try connection(schema: schema)
        let second = try connection(schema: schema)
        try first.execute("CREATE TABLE jobs (id SERIAL PRIMARY KEY, state TEXT NOT NULL DEFAULT 'pending')")
        try first.execute("INSERT INTO jobs (state) SELECT 'pending' FROM generate_series(1, 40)")
        let claim = """
            UPDATE jobs SET state = 'inflight' WHERE id IN (
                SELECT id FROM jobs WHERE state = 'pending' ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """
        var taken: [Int64] = []
        for _ in 0..<4 {
            try first.execute("BEGIN")
            try second.execute("BEGIN")
            let a = try first.execute(claim)
            let b = try second.execute(claim)
            taken += (0..<a.count).compactMap { a.integer($0, "id") } + (0..<b.count).compactMap { b.integer($0, "id") }
            #expect(a.count == 5 && b.count == 5)
            try first.execute("COMMIT")
            try second.execute("COMMIT")
        }
        #expect(taken.count == 40 && Set(taken).count == 40)
    }

    @Test func anUnreachableServerIsAClearErrorWithoutThePassword() {
        do {
            _ = try PostgresConnection(url: "postgresql://dpbridge:s3cret-pass@127.0.0.1:9/none?connect_timeout=2")
            Issue.record("connected")
        } catch {
            #expect(error.isConnectionLoss)
            #expect("\(error)".hasPrefix("cannot connect to PostgreSQL: "))
            #expect(!"\(error)".contains("s3cret-pass"))
            #expect(!"\(error)".contains("\n"))
        }
    }
}
