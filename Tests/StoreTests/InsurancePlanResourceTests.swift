import Foundation
import SQLite
import TestSupport
import Testing

@testable import Store

/// Insurance plans as resources: each keeps its provider, belongs to Docplanner's
/// dictionary (every facility's walk covers it), and a store written before plans
/// existed gains the provider column without losing what it holds.
@Suite struct InsurancePlanResourceTests {
    static let facility = DocplannerResource(kind: .facility, id: "3", name: "Clinic", facilityID: "3")
    static let axa = DocplannerResource(kind: .insurance, id: "52", name: "Axa")
    static func plan(_ id: String, of provider: String = "52") -> DocplannerResource {
        DocplannerResource(kind: .plan, id: id, name: "Plan \(id)", insuranceProviderID: provider)
    }

    @Test func aPlanKeepsItsProviderAndVanishesWithAFacilityWalkThatLacksIt() throws {
        let test = try TestStore()
        let mappings = test.store.mappings
        let first = try mappings.recordDiscovery(
            [Self.facility, Self.axa, Self.plan("11"), Self.plan("12"), Self.plan("999", of: "1")],
            scope: .facility("3"))
        #expect(first.newUnmapped.map(\.id) == ["3", "52", "11", "12", "999"])
        let stored = try #require(try mappings.resource(.plan, "999"))
        #expect(stored.resource.insuranceProviderID == "1")
        #expect(stored.resource.facilityID == nil)
        #expect(try mappings.resource(.insurance, "52")?.resource.insuranceProviderID == nil)
        // Plans belong to no facility and are listed with any of them, after providers.
        let listed = try mappings.list(facilityID: "3").map { "\($0.resource.kind.rawValue)/\($0.resource.id)" }
        #expect(listed == ["facility/3", "insurance/52", "plan/11", "plan/12", "plan/999"])
        #expect(try mappings.list(kind: .plan, facilityID: "other").count == 3)

        try mappings.set(.plan, "11", to: "P-AXA-BASIC", source: .manual)
        #expect(try mappings.partnerID(.plan, "11") == "P-AXA-BASIC")
        #expect(try mappings.mappings(kind: .plan).map(\.docplannerID) == ["11"])

        // Another facility's walk reads the dictionary too: plan 11 (mapped) and 999 are
        // gone from it, and 12 moved to another provider.
        test.clock.advance(by: 60)
        let second = try mappings.recordDiscovery([Self.axa, Self.plan("12", of: "7")], scope: .facility("4"))
        #expect(second.vanishedMapped.map(\.id) == ["11"])
        #expect(second.newUnmapped.isEmpty)
        #expect(try mappings.resource(.plan, "999")?.resource.vanishedAt != nil)
        #expect(try mappings.resource(.plan, "12")?.resource.insuranceProviderID == "7")
        #expect(try mappings.resource(.plan, "12")?.resource.vanishedAt == nil)
        #expect(try mappings.resource(.facility, "3")?.resource.vanishedAt == nil, "another facility is not touched")

        // Address services' re-reads leave the dictionary alone.
        #expect(try mappings.recordDiscovery([], scope: .addressServices(addressID: "30011")).isEmpty)
        #expect(try mappings.resource(.plan, "12")?.resource.vanishedAt == nil)
    }

    @Test func aStoreOfVersionFourGainsTheProviderColumnAndKeepsItsRows() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-store-v4")
        defer { directory.remove() }
        let path = directory.file("store.sqlite")
        do {
            let database = try Database(path: path)
            try Migrator(migrations: Array(StoreSchema.migrator.migrations.prefix(4))).migrate(database)
            try database.execute(
                """
                INSERT INTO docplanner_resources (kind, id, name, first_seen, last_seen) VALUES ('insurance', '52', 'Axa', 1, 1);
                INSERT INTO mappings (kind, docplanner_id, partner_id, source, updated_at)
                    VALUES ('insurance', '52', 'I-AXA', 'manual', 1);
                """)
            #expect(try database.scalar("PRAGMA user_version") == 4)
        }
        let store = try Store(path: path)
        defer { store.close() }
        #expect(Store.schemaVersion >= 5)
        #expect(try store.mappings.partnerID(.insurance, "52") == "I-AXA")
        #expect(try store.mappings.resource(.insurance, "52")?.resource.insuranceProviderID == nil)
        try store.mappings.recordDiscovery([Self.axa, Self.plan("11")], scope: .everything)
        #expect(try store.mappings.resource(.plan, "11")?.resource.insuranceProviderID == "52")
    }
}
