import Postgres
import SQLite
import Store

/// Where one tenant's store lives on PostgreSQL: the server (`url`, which may hold a
/// password and is never shown) and the schema of the tenant's tables. Each tenant has a
/// schema of its own, as each has a SQLite file of its own: their data stay apart.
package struct PostgresEndpoint: Sendable, Equatable {
    package let url: String
    package let schema: String

    package init(url: String, schema: String) {
        self.url = url
        self.schema = schema
    }

    /// The schema of tenant `tenant`: `dpbridge_` and its name, lower case, anything but
    /// letters, digits and `_` made `_` (tenant names are checked to be such already).
    package static func schema(forTenant tenant: String) -> String {
        "dpbridge_"
            + String(
                tenant.lowercased().unicodeScalars.map { scalar -> Character in
                    switch scalar {
                    case "a"..."z", "0"..."9", "_": Character(scalar)
                    default: "_"
                    }
                })
    }

    /// For messages and `status`: the schema and the server's host, no credentials.
    package var description: String { "PostgreSQL schema \(schema)" }

    /// A new connection whose unqualified names are the schema's (it may not exist yet:
    /// `PostgresSchema.migrate` makes it).
    package func connect() throws(PostgresError) -> PostgresConnection { try connect(applicationName: "dpbridge") }

    /// `connect()` with its own `application_name`.
    package func connect(applicationName: String) throws(PostgresError) -> PostgresConnection {
        let connection = try PostgresConnection(url: url)
        try connection.execute("SET application_name TO \(Self.literal(applicationName))")
        try connection.execute("SET search_path TO \(Self.identifier(schema))")
        return connection
    }

    /// `name` as an SQL identifier, quoted.
    package static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as an SQL string literal.
    package static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

extension StoreLocation {
    /// The store of one tenant on PostgreSQL (`endpoint`): shared by every instance that
    /// names the same server and schema. The writer's connection migrates the schema.
    package static func postgres(_ endpoint: PostgresEndpoint) -> StoreLocation {
        StoreLocation(description: endpoint.description, dialect: .postgres) { migrating throws(StoreError) in
            if migrating {
                do { try PostgresSchema.migrate(try endpoint.connect(), schema: endpoint.schema) } catch let error
                    as StoreError
                {
                    throw error
                } catch let error as PostgresError {
                    throw StoreError(error)
                } catch {
                    throw StoreError.postgres(sqlState: "XX000", message: "\(error)")
                }
            }
            do throws(SQLiteError) {
                return try PostgresSQLConnection { () throws(PostgresError) in try endpoint.connect() }
            } catch { throw StoreError(error) }
        }
    }
}
