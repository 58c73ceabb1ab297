import Foundation
import SQLite
import Store
import TestSupport
import Testing

@testable import Partner

/// The clinic's catalog tables in the embedded calendar: insurance plans and the plans
/// each location accepts are read and replaced with the rest, and a calendar created
/// before plans existed gains their tables with its catalog intact.
@Suite struct ClinicCatalogTests {
    static var catalog: ClinicCatalog {
        var catalog = ClinicCatalog()
        catalog.locations = [.init(id: "L-BRANCH", name: "Branch"), .init(id: "L-MAIN", name: "Main")]
        catalog.insurances = [.init(id: "I-AXA", name: "AXA"), .init(id: "I-LUX", name: "Luxmed")]
        catalog.insurancePlans = [
            .init(id: "P-AXA-BASIC", name: "Axa Basic", details: ["insurance_id": "I-AXA"]),
            .init(id: "P-AXA-GOLD", name: "Axa Gold", details: ["insurance_id": "I-AXA"]),
            .init(id: "P-LUX", name: "Lux Standard", details: ["insurance_id": "I-LUX"]),
        ]
        catalog.locationInsurances = ["L-MAIN": ["I-AXA", "I-LUX"], "L-BRANCH": ["I-AXA"]]
        catalog.locationInsurancePlans = [
            "L-MAIN": ["P-AXA-BASIC", "P-AXA-GOLD", "P-LUX"], "L-BRANCH": ["P-AXA-GOLD"],
        ]
        return catalog
    }

    @Test func plansAndAcceptedPlansAreReplacedAndReadBack() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-catalog")
        defer { directory.remove() }
        let testCalendar = try TestCalendar(in: directory)
        let partner = testCalendar.partner
        try partner.replaceCatalog(Self.catalog)
        #expect(try partner.catalog() == Self.catalog)
        let file = try testCalendar.clinic()
        #expect(try file.scalar("SELECT COUNT(*) FROM clinic_insurance_plans WHERE insurance_id = 'I-AXA'") == 2)
        #expect(
            try file.scalar("SELECT COUNT(*) FROM clinic_location_insurance_plans WHERE location_id = 'L-MAIN'") == 3)

        // What clinic software writes with SQL is read the same way.
        try file.execute(
            """
            INSERT INTO clinic_insurance_plans (id, insurance_id, name) VALUES ('P-LUX-2', 'I-LUX', 'Lux Plus');
            INSERT INTO clinic_location_insurance_plans (location_id, plan_id) VALUES ('L-BRANCH', 'P-LUX-2');
            """)
        let read = try partner.catalog()
        #expect(read.insurancePlans.last == .init(id: "P-LUX-2", name: "Lux Plus", details: ["insurance_id": "I-LUX"]))
        #expect(read.locationInsurancePlans["L-BRANCH"] == ["P-AXA-GOLD", "P-LUX-2"])

        // A replacement without plans removes them all.
        var smaller = Self.catalog
        smaller.insurancePlans = []
        smaller.locationInsurancePlans = [:]
        try partner.replaceCatalog(smaller)
        #expect(try partner.catalog() == smaller)
        #expect(try file.scalar("SELECT COUNT(*) FROM clinic_location_insurance_plans") == 0)
    }

    @Test func aCalendarOfVersionFourGainsThePlanTablesAndKeepsItsCatalog() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-catalog-v4")
        defer { directory.remove() }
        let path = directory.file("partner.sqlite")
        do {
            let database = try Database(path: path)
            try Migrator(migrations: Array(EmbeddedSchema.migrations.prefix(4))).migrate(database)
            try database.execute(
                """
                INSERT INTO clinic_insurances VALUES ('I-AXA', 'AXA');
                INSERT INTO clinic_location_insurances VALUES ('L-MAIN', 'I-AXA');
                """)
            #expect(try database.scalar("PRAGMA user_version") == 4)
        }
        let partner = try EmbeddedPartner(path: path)
        let catalog = try partner.catalog()
        #expect(catalog.insurances == [.init(id: "I-AXA", name: "AXA")])
        #expect(catalog.locationInsurances == ["L-MAIN": ["I-AXA"]])
        #expect(catalog.insurancePlans.isEmpty && catalog.locationInsurancePlans.isEmpty)
        #expect(try Database(path: path).scalar("PRAGMA user_version") == EmbeddedSchema.migrations.count)
    }
}
