import SQLite

/// The store's connection to its SQLite file: the shared SQLite wrapper, failures as
/// `StoreError`.
final class SQLiteStoreDatabase: StoreDatabase {
    let database: Database

    /// `schema`, `incrementalVacuumIfNew`: see `Database.init`.
    init(path: String, schema: Migrator? = nil, incrementalVacuumIfNew: Bool = false) throws(StoreError) {
        do {
            database = try Database(path: path, schema: schema, incrementalVacuumIfNew: incrementalVacuumIfNew)
        } catch { throw StoreError(error) }
    }

    var dialect: SQLDialect { .sqlite }
    var changes: Int { database.changes }

    func execute(_ sql: String) throws(StoreError) {
        do { try database.execute(sql) } catch { throw StoreError(error) }
    }

    func prepare(_ sql: String) throws(StoreError) -> any StoreStatement {
        do { return SQLiteStoreStatement(try database.prepare(sql)) } catch { throw StoreError(error) }
    }

    func prepareKept(_ sql: String) throws(StoreError) -> any StoreStatement {
        do { return SQLiteStoreStatement(try Statement(database: database, sql: sql)) } catch {
            throw StoreError(error)
        }
    }

    func transaction<T>(durability: CommitDurability, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.transaction(durability: durability, body, failure: StoreError.init)
    }
}

/// A SQLite statement with failures as `StoreError`.
final class SQLiteStoreStatement: StoreStatement {
    let statement: Statement

    init(_ statement: Statement) { self.statement = statement }

    func reset() { statement.reset() }

    func bind(_ values: [StatementValue]) throws(StoreError) {
        do { try statement.bind(values) } catch { throw StoreError(error) }
    }

    func step() throws(StoreError) -> Bool {
        do { return try statement.step() } catch { throw StoreError(error) }
    }

    func run(_ values: [StatementValue]) throws(StoreError) {
        do { try statement.run(values) } catch { throw StoreError(error) }
    }

    func int64(_ column: Int32) -> Int64 { statement.int64(column) }
    func double(_ column: Int32) -> Double { statement.double(column) }
    func isNull(_ column: Int32) -> Bool { statement.isNull(column) }
    func text(_ column: Int32) -> String? { statement.text(column) }
    func blob(_ column: Int32) -> [UInt8] { statement.blob(column) }
}
