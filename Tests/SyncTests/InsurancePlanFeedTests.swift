import DocplannerAPI
import Foundation
import Partner
import Simulator
import Store
import Sync
import TestSupport
import Testing

/// Insurance plans end to end against a live simulator (its dictionary: provider 1 with
/// plans 999 and 1000, provider 2 without plans, Axa (52) with plan 11; address 111
/// accepts provider 1 with plan 999 and Axa without plans): discovery reads each
/// provider's plans once, `map auto` matches plans within their provider's clinic
/// insurance, and profile feeding sends each accepted provider with its accepted plans.
@Suite(.serialized) struct InsurancePlanFeedTests {
    let directory: TemporaryDirectory
    let simulator: DocplannerSimulator
    let client: DocplannerClient
    let store: Store

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-plans")
        simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(clientID: "c", clientSecret: "s", rateLimits: nil, pingInterval: nil))
        try simulator.start()
        client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: simulator.apiBaseURL, tokenURL: simulator.tokenURL, clientID: "c", clientSecret: "s",
                timeZone: TimeZone(identifier: "Europe/Warsaw")!))
        store = try Store(path: directory.file("store.sqlite"))
    }

    func finish() {
        simulator.stop()
        store.close()
        directory.remove()
    }

    /// The clinic's insurances and plans: "Axa Polska" is only like Docplanner's "Axa",
    /// and Luxmed has a plan named like Axa's.
    static var catalog: ClinicCatalog {
        var catalog = ClinicCatalog()
        catalog.insurances = [
            .init(id: "I-1", name: "Insurance Provider 1"), .init(id: "I-AXA", name: "Axa Polska"),
            .init(id: "I-LUX", name: "Luxmed"),
        ]
        catalog.insurancePlans = [
            .init(id: "P-999", name: "Insurance plan 999", details: ["insurance_id": "I-1"]),
            .init(id: "P-1000", name: "insurance PLAN 1000", details: ["insurance_id": "I-1"]),
            .init(id: "P-AXA-BASIC", name: "Axa Basic", details: ["insurance_id": "I-AXA"]),
            .init(id: "P-LUX-AXA", name: "Axa Basic", details: ["insurance_id": "I-LUX"]),
        ]
        return catalog
    }

    /// The API paths of the requests the simulator answered that end with `suffix`.
    func requested(_ suffix: String) -> [String] {
        simulator.snapshot().requests.filter { $0.method == "GET" && $0.path.hasSuffix(suffix) }.map(\.path)
    }

    func apply(_ proposals: [AutoMapper.Proposal], atLeast threshold: Double = 0.8) throws {
        for proposal in proposals where proposal.confidence >= threshold {
            try store.mappings.set(
                proposal.kind, proposal.docplannerID, to: proposal.partnerID, source: .auto,
                confidence: proposal.confidence)
        }
    }

    @Test func plansAreDiscoveredOnceEachAndAutoMappedWithinTheirProvidersInsurance() throws {
        defer { finish() }
        let outcome = try ResourceDiscovery(docplanner: client, mappings: store.mappings).discover(facilityID: "1")
        let plans = outcome.resources.filter { $0.kind == .plan }
        #expect(plans.map(\.id) == ["999", "1000", "11"])
        #expect(plans.map(\.insuranceProviderID) == ["1", "1", "52"])
        #expect(plans.first?.name == "Insurance plan 999")
        // One GET per provider, however many doctors and addresses the walk covered.
        #expect(
            requested("/plans").sorted()
                == ["1", "2", "52"].map { "/api/v3/integration/insurance-providers/\($0)/plans" })
        #expect(try store.mappings.list(kind: .plan).map(\.resource.id) == ["11", "999", "1000"])

        // Provider 1 is proposed with certainty, so are its plans; Axa only as "similar",
        // and its plan no more than that: --apply at 0.8 records neither.
        let first = AutoMapper.propose(for: try store.mappings.list(includeVanished: false), catalog: Self.catalog)
        let planProposals = first.filter { $0.kind == .plan }
        #expect(planProposals.map(\.docplannerID) == ["11", "999", "1000"])
        #expect(planProposals.map(\.partnerID) == ["P-AXA-BASIC", "P-999", "P-1000"])
        #expect(planProposals.map(\.confidence) == [0.67, 1, 1])
        #expect(planProposals.first?.reason == "same name, provider not yet mapped")
        try apply(first)
        #expect(try store.mappings.partnerID(.insurance, "1") == "I-1")
        #expect(try store.mappings.partnerID(.plan, "1000") == "P-1000")
        #expect(try store.mappings.partnerID(.insurance, "52") == nil)
        #expect(try store.mappings.partnerID(.plan, "11") == nil)

        // Once Axa is mapped by hand, its plan is matched among Axa's plans only: Luxmed's
        // plan of the same name is no rival.
        try store.mappings.set(.insurance, "52", to: "I-AXA", source: .manual)
        let second = AutoMapper.propose(for: try store.mappings.list(includeVanished: false), catalog: Self.catalog)
        let axaPlan = try #require(second.first { $0.kind == .plan && $0.docplannerID == "11" })
        #expect(axaPlan.partnerID == "P-AXA-BASIC" && axaPlan.confidence == 1 && axaPlan.reason == "same name")
        try apply(second)
        #expect(try store.mappings.partnerID(.plan, "11") == "P-AXA-BASIC")
        // A provider mapped to nothing of the clinic's gets no plan proposals.
        #expect(!second.contains { $0.kind == .plan && $0.docplannerID != "11" })
    }

    /// Address `id` of doctor 123, as discovered.
    func address(_ id: String) throws -> DocplannerResource {
        try #require(try store.mappings.resource(.address, id)?.resource)
    }

    /// Docplanner's providers at `address`, each with its plans.
    func accepted(at address: String) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for item in try client.getAddressInsuranceProviders(facilityID: "1", doctorID: "123", addressID: address) {
            result[item.insuranceProviderID ?? ""] = Set(item.insurancePlans?.items.compactMap(\.insurancePlanID) ?? [])
        }
        return result
    }

    func insuranceProblems(_ outcome: ProfileFeeder.Outcome) -> [ActivationProblem] {
        outcome.problems.filter { $0.reason.contains("insurance") }
    }

    @Test func eachAcceptedProviderIsFedWithItsAcceptedPlansAndASecondRunWritesNothing() throws {
        defer { finish() }
        _ = try ResourceDiscovery(docplanner: client, mappings: store.mappings).discover(facilityID: "1")
        for (kind, id, partner) in [
            (ResourceKind.doctor, "123", "D-1"), (.address, "111", "L-MAIN"), (.address, "112", "L-BRANCH"),
            (.insurance, "1", "I-1"), (.insurance, "52", "I-AXA"), (.plan, "999", "P-999"), (.plan, "1000", "P-1000"),
            (.plan, "11", "P-AXA-BASIC"),
        ] {
            try store.mappings.set(kind, id, to: partner, source: .manual)
        }
        var catalog = Self.catalog
        catalog.locationInsurances = ["L-MAIN": ["I-1", "I-AXA"], "L-BRANCH": ["I-AXA"]]
        // At the branch, plan 999 is accepted but its insurance is not: a problem, not fed.
        catalog.locationInsurancePlans = [
            "L-MAIN": ["P-999", "P-1000", "P-AXA-BASIC"], "L-BRANCH": ["P-AXA-BASIC", "P-999"],
        ]
        let feeder = ProfileFeeder(docplanner: client, mappings: store.mappings)
        #expect(try accepted(at: "111") == ["1": ["999"], "52": []])

        // Both providers at 111 are there with other plans: each is updated.
        let main = try feeder.feed(address: try address("111"), catalog: catalog)
        #expect(main.writes == ["updateOrCreateAddressInsuranceProvider", "updateOrCreateAddressInsuranceProvider"])
        #expect(insuranceProblems(main) == [])
        #expect(try accepted(at: "111") == ["1": ["999", "1000"], "52": ["11"]])
        // 112 has none: Axa is added with its plan.
        let branch = try feeder.feed(address: try address("112"), catalog: catalog)
        #expect(branch.writes == ["addAddressInsuranceProvider"])
        #expect(try accepted(at: "112") == ["52": ["11"]])
        #expect(
            insuranceProblems(branch).map(\.reason) == [
                "clinic insurance plan P-999 (Insurance plan 999) is accepted at location L-BRANCH, but its insurance is not"
            ])

        // Nothing changed: nothing is written.
        let writes = simulator.snapshot().writesTotal
        #expect(try feeder.feed(address: try address("111"), catalog: catalog).writes == [])
        #expect(try feeder.feed(address: try address("112"), catalog: catalog).writes == [])
        #expect(simulator.snapshot().writesTotal == writes)

        // The clinic stops taking plan 1000 and takes a plan not mapped yet. While 1000 is
        // unmapped it is left as it is (no write); mapped again, it is taken away.
        catalog.insurancePlans.append(.init(id: "P-NEW", name: "Gold", details: ["insurance_id": "I-1"]))
        catalog.locationInsurancePlans["L-MAIN"] = ["P-999", "P-AXA-BASIC", "P-NEW"]
        try store.mappings.unset(.plan, "1000")
        let unknown = try feeder.feed(address: try address("111"), catalog: catalog)
        #expect(unknown.writes == [])
        let problems = insuranceProblems(unknown)
        #expect(problems.count == 1)
        #expect(problems.first?.fix.contains("dpbridge map set plan <plan id> P-NEW") == true, "\(problems)")
        try store.mappings.set(.plan, "1000", to: "P-1000", source: .manual)
        #expect(
            try feeder.feed(address: try address("111"), catalog: catalog).writes == [
                "updateOrCreateAddressInsuranceProvider"
            ])
        #expect(try accepted(at: "111") == ["1": ["999"], "52": ["11"]])

        // No plan accepted any more: both providers stay, without plans.
        catalog.locationInsurancePlans = [:]
        let cleared = try feeder.feed(address: try address("111"), catalog: catalog)
        #expect(cleared.writes == ["updateOrCreateAddressInsuranceProvider", "updateOrCreateAddressInsuranceProvider"])
        #expect(try accepted(at: "111") == ["1": [], "52": []])
        #expect(try feeder.feed(address: try address("111"), catalog: catalog).writes == [])
    }
}
