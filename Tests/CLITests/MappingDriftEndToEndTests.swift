import Foundation
import TestSupport
import Testing

/// The running daemon keeps an eye on the mappings: an applied event naming an unmapped
/// Docplanner id logs it once per resource; deleting a mapped address service on
/// Docplanner's side is noticed by the re-read its `address-service-deleted` event
/// triggers, and shows in the log, `status` and `/metrics`.
@Suite(.serialized) struct MappingDriftEndToEndTests {
    /// The log's lines of `event`, as text.
    static func lines(_ log: String, _ event: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(" event=\(event) ") }
    }

    static func status(_ daemon: RunningDaemon) throws -> [String: Any] {
        let result = try daemon.cli(["status", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func unmappedIdsAreLoggedOnceAndAVanishedMappingIsReported() throws {
        try withDaemonAndSimulator(simulatorArguments: ["--clinic-doctors", "2", "--no-rate-limits"]) {
            daemon, simulator in
            // Facility 3: doctors 3001 and 3002, addresses 30011/30012 and 30021/30022, five services each.
            // The clinic catalog is empty here, hence --force.
            let discovered = try daemon.cli(["map", "discover", "--facility", "3", "--json"])
            #expect(discovered.status == 0, "\(discovered.output)")
            for (kind, id, partner) in [
                ("facility", "3", "C-1"), ("doctor", "3001", "D-1"), ("address", "30011", "L-MAIN"),
                ("service", "300111", "S-USG"), ("service", "300112", "S-EKG"),
            ] {
                let set = try daemon.cli(["map", "set", kind, id, partner, "--force"])
                #expect(set.status == 0, "\(set.output)")
            }
            let before = try Self.status(daemon)["mapping"] as? [String: Int]
            #expect(before?["mapped"] == 5)
            #expect(before?["vanishedMapped"] == 0)

            // (a) Two events about doctor 3002's address 30021, of which nothing is mapped.
            // (Two services: the same one changed twice within a second would be one event to the daemon.)
            for service in ["300211", "300212"] {
                let changed = try simulator.act(
                    "address-services", ["action": "change", "address_service_id": service, "price": 110])
                #expect(changed["outcome"] as? String == "address-service-changed", "\(changed)")
            }
            #expect(
                try eventually {
                    ((try Self.status(daemon)["inbox"] as? [String: Any])?["done"] as? Int ?? 0) >= 2
                }, "\(daemon.log)")
            #expect(eventually { Self.lines(daemon.log, "unmapped-resource").count >= 4 }, "\(daemon.log)")
            let unmapped = Self.lines(daemon.log, "unmapped-resource")
            for (kind, id) in [("doctor", "3002"), ("address", "30021"), ("service", "300211"), ("service", "300212")] {
                let about = unmapped.filter { $0.contains(" kind=\(kind) ") && $0.contains(" id=\(id) ") }
                #expect(about.count == 1, "one line for \(kind) \(id):\n\(unmapped.joined(separator: "\n"))")
                #expect(about.first?.contains("fix=\"dpbridge map set \(kind) \(id) <partner id>\"") == true)
            }
            #expect(unmapped.count == 4, "nothing mapped is reported: \(unmapped)")
            let scrape = try Scrape(daemon)
            #expect(scrape.value("dpbridge_unmapped_references_total", ["kind": "doctor"]) == 2, "\(scrape.text)")
            #expect(scrape.value("dpbridge_mapping_resources", ["state": "mapped"]) == 5, "\(scrape.text)")
            #expect(scrape.value("dpbridge_mapping_resources", ["state": "vanished_mapped"]) == 0)

            // (b) The clinic's EKG at address 30011, mapped, is deleted on Docplanner's side.
            let deleted = try simulator.act("address-services", ["action": "delete", "address_service_id": "300112"])
            #expect(deleted["outcome"] as? String == "address-service-deleted", "\(deleted)")
            #expect(
                try eventually { (try Self.status(daemon)["mapping"] as? [String: Int])?["vanishedMapped"] == 1 },
                "\(daemon.log)")
            let drift = Self.lines(daemon.log, "mapping-drift")
            #expect(drift.count == 1, "\(daemon.log)")
            #expect(drift.first.map { $0.contains(" kind=service ") && $0.contains(" id=300112 ") } == true, "\(drift)")
            #expect(drift.first?.contains("dpbridge map unset service 300112") == true, "\(drift)")
            #expect(try Scrape(daemon).value("dpbridge_mapping_resources", ["state": "vanished_mapped"]) == 1)
            let text = try daemon.cli(["status"])
            #expect(
                text.stdout.contains("WARNING")
                    && text.stdout.contains("1 mapping(s) point at Docplanner resources that are gone"),
                "\(text.stdout)")

            // Fixed: the stale mapping unset, the warning is gone.
            #expect(try daemon.cli(["map", "unset", "service", "300112"]).status == 0)
            #expect((try Self.status(daemon)["mapping"] as? [String: Int])?["vanishedMapped"] == 0)
        }
    }
}
