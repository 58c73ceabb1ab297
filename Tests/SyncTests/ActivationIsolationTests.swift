import DocplannerAPI
import Foundation
import Logging
import Partner
import Simulator
import Store
import TestSupport
import Testing

@testable import Sync

/// `activate` against a live simulator whose first answer is a 404: the one address it
/// hits is a problem of its own, the other address is still fed and checked, and a step
/// that checked no calendar is never green.
@Suite(.serialized) struct ActivationIsolationTests {
    let directory: TemporaryDirectory
    let simulator: DocplannerSimulator
    let client: DocplannerClient
    let store: Store
    let partner: EmbeddedPartner

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-activation")
        simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil))
        try simulator.start()
        client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: TimeZone(identifier: "Europe/Warsaw")!))
        store = try Store(path: directory.file("store.sqlite"))
        partner = try EmbeddedPartner(path: directory.file("partner.sqlite"))
    }

    func finish() {
        simulator.stop()
        store.close()
        directory.remove()
    }

    func activate() -> ActivationReport {
        Activation(
            docplanner: client, store: store, catalog: { ClinicCatalog() }, partner: partner, horizonWeeks: 12,
            logger: Logger(label: "test")
        ).run(
            facilityID: "1", doctorID: nil,
            callbackStep: .init(number: 1, title: Activation.title(1), ok: true, summary: "checked by the caller"))
    }

    @Test func oneAddressRefusedLeavesTheOtherFedAndChecked() throws {
        defer { finish() }
        _ = try ResourceDiscovery(docplanner: client, mappings: store.mappings).discover(facilityID: "1")
        try store.mappings.set(.facility, "1", to: "C-1", source: .manual)
        try store.mappings.set(.doctor, "123", to: "D-1", source: .manual)
        try store.mappings.set(.address, "111", to: "L-1", source: .manual)
        try store.mappings.set(.address, "112", to: "L-2", source: .manual)

        // Docplanner answers the first request of the feed (address 111's services) 404.
        simulator.setFaults(SimulatorFaults(next: [.init(status: 404)]))
        let report = activate()
        let profiles = report.steps[1]
        #expect(!profiles.ok)
        let refused = profiles.problems.filter { $0.reason.hasPrefix("address 111 of doctor 123:") }
        #expect(refused.count == 1, "\(profiles.problems)")
        #expect(!profiles.problems.contains { $0.reason.hasPrefix("address 112") && $0.reason.contains("404") })
        #expect(profiles.summary.hasPrefix("2 of 3 addresses mapped"), "\(profiles.summary)")  // a third is unmapped
        // Address 112 was still fed: its services and insurance providers were read.
        let requests = simulator.snapshot().requests.map(\.path)
        #expect(requests.contains { $0.hasSuffix("/addresses/112/services") })
        #expect(requests.contains { $0.hasSuffix("/addresses/112/insurance-providers") })
        // Both calendars went on to the next steps.
        for step in report.steps.dropFirst(2) {
            #expect(step.summary.hasPrefix("2 of 2 calendars checked"), "step \(step.number): \(step.summary)")
        }
    }

    @Test func aStepThatCheckedNoCalendarIsNotGreen() throws {
        defer { finish() }
        _ = try ResourceDiscovery(docplanner: client, mappings: store.mappings).discover(facilityID: "1")
        let report = activate()
        for step in report.steps.dropFirst(2) {
            #expect(!step.ok, "step \(step.number) over no calendar: \(step.summary)")
            #expect(step.summary.hasPrefix("0 of 0 calendars checked"))
        }
        #expect(!report.ready)
    }
}

/// The PATCH profile feeding sends when the clinic's price differs from Docplanner's.
@Suite struct ProfileDifferenceTests {
    func body(_ update: UpdateAddressServiceRequest?) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(try #require(update)), as: UTF8.self)
    }

    @Test func aPriceTheClinicClearedIsSentAsNull() throws {
        let existing = AddressService(id: "1", price: 100, isPriceFrom: false, duration: 30)
        let offer = ClinicCatalog.Offer(
            doctorID: "D", locationID: "L", serviceID: "S", price: nil, isPriceFrom: false, duration: 30)
        #expect(
            try body(ProfileFeeder.difference(existing, offer))
                == #"{"default_duration":30,"is_price_from":false,"price":null}"#)
        // Nothing differs: nothing is sent (no PATCH spent on every run).
        let cleared = AddressService(id: "1", price: nil, isPriceFrom: false, duration: 30)
        #expect(ProfileFeeder.difference(cleared, offer) == nil)
        // A price set is sent as a number.
        var priced = offer
        priced.price = 120
        #expect(try body(ProfileFeeder.difference(existing, priced)).contains(#""price":120"#))
    }
}
