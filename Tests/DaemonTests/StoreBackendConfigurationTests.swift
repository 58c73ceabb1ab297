import Daemon
import Foundation
import PostgresStore
import SQLite
import Store
import TestSupport
import Testing

/// `store.backend` and `store.url`: PostgreSQL only with a URL, each tenant in its schema,
/// the URL never in messages.
@Suite struct StoreBackendConfigurationTests {
    func load(_ yaml: String, environment: [String: String] = [:]) async throws(ConfigurationError)
        -> LoadedConfiguration
    {
        try await ConfigurationLoaderTests().load(yaml, environment: environment)
    }

    @Test func sqliteIsTheDefaultAndItsStoreIsTheFile() async throws {
        let configuration = try await load(minimalYAML).configuration
        #expect(configuration.storeBackend == .sqlite)
        #expect(!configuration.storeIsShared && configuration.postgresEndpoint == nil)
        #expect(configuration.storeLocation.dialect == .sqlite)
        #expect(configuration.storeDescription == "/tmp/dpbridge-test.sqlite")
    }

    @Test func postgresWithoutAURLIsRefusedByName() async {
        do {
            _ = try await load(minimalYAML + "\n  backend: postgres\n")
            Issue.record("loaded without store.url")
        } catch {
            #expect(error.problems.map(\.subject) == ["store.url"], "\(error.problems)")
            #expect(error.problems.first?.message.contains("required when store.backend is postgres") == true)
        }
    }

    @Test func aURLThatIsNotPostgresIsRefusedWithoutShowingIt() async {
        do {
            _ = try await load(
                minimalYAML + "\n  backend: postgres\n",
                environment: ["DPBRIDGE_STORE_URL": "mysql://root:hunter2@db/x"])
            Issue.record("loaded a mysql URL")
        } catch {
            #expect(error.problems.map(\.subject) == ["store.url"])
            #expect(!"\(error.problems)".contains("hunter2"))
        }
    }

    @Test func eachTenantHasASchemaOfItsOwnOnTheSharedServer() async throws {
        let yaml =
            minimalYAML + """

                  backend: postgres
                tenants:
                  clinic-b:
                    callback: {secret: tenant-b-callback-secret-1}
                    docplanner: {client_id: b, client_secret: b-secret}
                    store: {path: /tmp/dpbridge-b.sqlite}
                    partner: {embedded: {path: /tmp/dpbridge-b-partner.sqlite}}
                """
        let url = "postgresql://dpbridge:s3cret@db.example:5432/dpbridge"
        let configuration = try await load(yaml, environment: ["DPBRIDGE_STORE_URL": url]).configuration
        let tenants = configuration.tenants
        #expect(tenants.map { $0.postgresEndpoint?.schema } == ["dpbridge_default", "dpbridge_clinic_b"])
        #expect(tenants.allSatisfy { $0.postgresEndpoint?.url == url && $0.storeIsShared })
        #expect(tenants.allSatisfy { $0.storeLocation.dialect == .postgres })
        #expect(
            tenants.map(\.storeDescription) == [
                "PostgreSQL schema dpbridge_default", "PostgreSQL schema dpbridge_clinic_b",
            ])
        #expect(!"\(configuration.storeBackend)".contains("s3cret"), "the URL prints as a secret")
    }

    @Test func theCalendarGoesToPostgresOnlyBesideAStoreThere() async throws {
        do {
            _ = try await load(minimalYAML + "\npartner:\n  backend: postgres\n")
            Issue.record("a calendar on PostgreSQL beside a SQLite store was loaded")
        } catch {
            #expect(error.problems.map(\.subject) == ["partner.backend"], "\(error.problems)")
        }
        let configuration = try await load(
            minimalYAML + "\n  backend: postgres\npartner:\n  backend: postgres\n",
            environment: ["DPBRIDGE_STORE_URL": "postgresql://db.example/dpbridge"]
        ).configuration
        #expect(configuration.calendarOnPostgres)
        #expect(configuration.calendarLocation.dialect == .postgres)
        #expect(configuration.calendarDescription == "PostgreSQL schema dpbridge_default_calendar")
    }
}
