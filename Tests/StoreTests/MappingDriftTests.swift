import Foundation
import Testing

@testable import Store

/// Discovery's drift (vanished mapped ids, new unmapped ones), the counts `status` shows,
/// and the per-event lookups.
@Suite struct MappingDriftTests {
    static let facility = DocplannerResource(kind: .facility, id: "3", name: "Clinic", facilityID: "3")
    static let doctor = DocplannerResource(
        kind: .doctor, id: "3001", name: "Anna Doctor", facilityID: "3", doctorID: "3001")
    static let address = DocplannerResource(
        kind: .address, id: "30011", name: "Main", facilityID: "3", doctorID: "3001", addressID: "30011")
    static func service(_ id: String) -> DocplannerResource {
        DocplannerResource(
            kind: .service, id: id, name: "USG \(id)", facilityID: "3", doctorID: "3001", addressID: "30011")
    }

    @Test func discoveryReportsVanishedMappedAndNewUnmappedAndSummaryCountsThem() throws {
        let test = try TestStore()
        let mappings = test.store.mappings
        #expect(try mappings.hasDiscovered() == false)
        #expect(try mappings.lastDiscovery() == nil)
        #expect(try mappings.summary() == MappingSummary())

        let first = try mappings.recordDiscovery(
            [Self.facility, Self.doctor, Self.address, Self.service("1"), Self.service("2")], scope: .facility("3"))
        #expect(first.newUnmapped.map(\.id) == ["3", "3001", "30011", "1", "2"])
        #expect(first.vanishedMapped.isEmpty)
        #expect(try mappings.hasDiscovered())
        #expect(try mappings.lastDiscovery() == Date(timeIntervalSince1970: test.clock.now()))

        try mappings.set(.service, "1", to: "S-USG", source: .manual)
        try mappings.set(.doctor, "3001", to: "D-1", source: .manual)
        #expect(try mappings.referenceState(.service, "1") == .mapped)
        #expect(try mappings.referenceState(.service, "2") == .unmapped)
        #expect(try mappings.referenceState(.service, "99") == .undiscovered)

        // Service 1 (mapped) and 2 (not) are gone, 3 is new; only the address's services were read.
        test.clock.advance(by: 60)
        let second = try mappings.recordDiscovery([Self.service("3")], scope: .addressServices(addressID: "30011"))
        #expect(second.vanishedMapped.map(\.id) == ["1"])
        #expect(second.vanishedMapped.first?.name == "USG 1")
        #expect(second.newUnmapped.map(\.id) == ["3"])
        #expect(try mappings.lastDiscovery() == Date(timeIntervalSince1970: test.clock.now() - 60), "services only")
        var expected = MappingSummary()
        expected.resources = 4
        expected.mapped = 1
        expected.unmapped = 3
        expected.vanishedMapped = 1
        #expect(try mappings.summary() == expected)
        #expect(try mappings.referenceState(.service, "1") == .mapped, "still bound, though gone")

        // The same walk again drifts no further; unsetting the stale mapping clears the count.
        #expect(try mappings.recordDiscovery([Self.service("3")], scope: .addressServices(addressID: "30011")).isEmpty)
        try mappings.unset(.service, "1")
        #expect(try mappings.summary().vanishedMapped == 0)
    }
}
