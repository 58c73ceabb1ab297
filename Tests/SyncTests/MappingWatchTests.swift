import DocplannerAPI
import Foundation
import Logging
import Partner
import Simulator
import Store
import Sync
import TestSupport
import Testing

/// The daemon's periodic re-discovery against a live simulator: once an operator
/// discovered, a mapped address service deleted on Docplanner's side is marked vanished
/// by the next walk.
@Suite(.serialized) struct MappingWatchTests {
    @Test func periodicWalkMarksADeletedMappedServiceVanished() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-mapping-watch")
        defer { directory.remove() }
        let simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil))
        try simulator.start()
        defer { simulator.stop() }
        let client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: TimeZone(identifier: "Europe/Warsaw")!))
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        let calendarFile = try EmbeddedPartner(path: directory.file("partner.sqlite"))

        let watch = MappingWatch(
            docplanner: client, mappings: store.mappings, calendarFile: calendarFile, discoverInterval: 0.2,
            logger: Logger(label: "test"))
        watch.start()
        defer { watch.stop() }
        // The operator discovers and maps the EKG at address 111, which Docplanner then deletes.
        _ = try ResourceDiscovery(docplanner: client, mappings: store.mappings).discover()
        try store.mappings.set(.service, "102", to: "S-EKG", source: .manual)
        try client.deleteAddressService(facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: "102")

        var vanished = 0
        for _ in 0..<200 where vanished == 0 {
            vanished = try store.mappings.summary().vanishedMapped
            if vanished == 0 { usleep(50_000) }
        }
        #expect(vanished == 1)
        #expect(watch.walkCount >= 1)
        #expect(try store.mappings.resource(.service, "102")?.resource.vanishedAt != nil)
    }
}
