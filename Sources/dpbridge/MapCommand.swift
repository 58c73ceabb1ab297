import ArgumentParser
import Daemon
import Foundation
import Partner
import Store
import Sync

extension ResourceKind: ExpressibleByArgument {}

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Map Docplanner's resources to the clinic's own ids.",
        discussion: """
            Docplanner accepts an integration only with every resource mapped: facilities, \
            doctors, addresses, address services, insurance providers and insurance plans. \
            `discover` reads them from Docplanner into the store; `auto` proposes partner ids \
            from the clinic's catalog (the clinic_* tables of the calendar); `set`, `unset`, \
            `import` bind by hand. \
            Mappings are copied into the calendar's dpbridge_mappings table for clinic software.
            """,
        subcommands: [
            MapDiscoverCommand.self, MapListCommand.self, MapSetCommand.self, MapUnsetCommand.self,
            MapAutoCommand.self, MapExportCommand.self, MapImportCommand.self,
        ])
}

struct MapDiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract:
            "Read facilities, doctors, addresses, address services, insurance providers and plans from Docplanner.")

    @OptionGroup var options: ClinicCommandOptions
    @Option(
        help: ArgumentHelp("Only this facility (and the insurance dictionary: providers and plans).", valueName: "id"))
    var facility: String?

    struct Report: Encodable {
        var resources: [String: Int]
        var newUnmapped: [Item]
        var vanishedMapped: [Item]
    }

    struct Item: Encodable {
        var kind: String
        var id: String
        var name: String
    }

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let progress = ProgressReporter(label: "discover")
        let outcome: ResourceDiscovery.Outcome
        do {
            outcome = try ResourceDiscovery(docplanner: session.docplanner, mappings: session.store.mappings)
                .discover(facilityID: facility) { step in
                    progress.update(done: step.done, total: step.total, detail: "doctors, \(step.resources) resources")
                }
            progress.finish()
            try session.publishMappings()
        } catch {
            progress.finish()
            throw CommandOutput.fail("discovery failed: \(error)")
        }
        var counts: [String: Int] = [:]
        for resource in outcome.resources { counts[resource.kind.rawValue, default: 0] += 1 }
        let item = { (r: DocplannerResource) in Item(kind: r.kind.rawValue, id: r.id, name: r.name) }
        if options.json {
            try CommandOutput.printJSON(
                Report(
                    resources: counts, newUnmapped: outcome.drift.newUnmapped.map(item),
                    vanishedMapped: outcome.drift.vanishedMapped.map(item)))
            return
        }
        let summary = ResourceKind.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }
        print("discovered \(outcome.resources.count) resources: \(summary.joined(separator: ", "))")
        if !outcome.drift.newUnmapped.isEmpty {
            print("\(outcome.drift.newUnmapped.count) new and unmapped (dpbridge map auto, or map set)")
        }
        for resource in outcome.drift.vanishedMapped {
            print(
                "vanished but mapped: \(resource.kind.rawValue) \(resource.id) (\(resource.name)): "
                    + "map its replacement, then dpbridge map unset \(resource.kind.rawValue) \(resource.id)")
        }
    }
}

struct MapListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show every discovered resource with its partner id or \"unmapped\".")

    @OptionGroup var options: ClinicCommandOptions
    @Option(help: "Only this kind (facility, doctor, address, service, insurance, plan).")
    var kind: ResourceKind?
    @Option(help: ArgumentHelp("Only this facility.", valueName: "id"))
    var facility: String?
    @Flag(help: "Only resources without a mapping.")
    var unmapped = false

    struct Row: Encodable {
        var kind: String
        var docplannerID: String
        var name: String
        var facilityID: String?
        var doctorID: String?
        var addressID: String?
        var insuranceProviderID: String?
        var partnerID: String?
        var source: String?
        var confidence: Double?
        var vanished: Bool
    }

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let discovered: [MappedResource]
        do {
            discovered = try session.store.mappings.list(kind: kind, facilityID: facility)
        } catch {
            throw CommandOutput.fail("cannot read the mappings: \(error)")
        }
        var resources = discovered
        if unmapped { resources = resources.filter { $0.mapping == nil && $0.resource.vanishedAt == nil } }
        if options.json {
            try CommandOutput.printJSON(
                resources.map {
                    Row(
                        kind: $0.resource.kind.rawValue, docplannerID: $0.resource.id, name: $0.resource.name,
                        facilityID: $0.resource.facilityID, doctorID: $0.resource.doctorID,
                        addressID: $0.resource.addressID, insuranceProviderID: $0.resource.insuranceProviderID,
                        partnerID: $0.mapping?.partnerID,
                        source: $0.mapping?.source.rawValue, confidence: $0.mapping?.confidence,
                        vanished: $0.resource.vanishedAt != nil)
                })
            return
        }
        if resources.isEmpty {
            // Nothing listed because everything is mapped is good news, not a missing discovery.
            print(
                discovered.isEmpty
                    ? "no resources discovered yet: run dpbridge map discover"
                    : "every one of the \(discovered.count) discovered resources is mapped")
            return
        }
        CommandOutput.printTable(
            ["KIND", "DOCPLANNER ID", "NAME", "WHERE", "PARTNER ID"],
            resources.map { entry in
                let r = entry.resource
                let place = [
                    r.kind == .doctor || r.kind == .facility ? nil : r.doctorID.map { "doctor \($0)" },
                    r.kind == .service ? r.addressID.map { "address \($0)" } : nil,
                    r.insuranceProviderID.map { "provider \($0)" },
                ].compactMap { $0 }.joined(separator: ", ")
                var partner = entry.mapping?.partnerID ?? "unmapped"
                if r.vanishedAt != nil { partner += " (vanished)" }
                return [r.kind.rawValue, r.id, r.name, place, partner]
            })
        let open = resources.filter { $0.mapping == nil && $0.resource.vanishedAt == nil }.count
        print("\(resources.count) resources, \(open) unmapped")
    }
}

struct MapSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Bind one Docplanner resource to a partner id.")

    @OptionGroup var options: ClinicCommandOptions
    @Argument(help: "facility, doctor, address, service, insurance or plan.")
    var kind: ResourceKind
    @Argument(help: "Docplanner's id.")
    var docplannerID: String
    @Argument(help: "The clinic's id (from its clinic_* table).")
    var partnerID: String
    @Flag(help: "Bind even when the partner id is not in the clinic's catalog.")
    var force = false

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        if !force {
            let catalog: ClinicCatalog
            do { catalog = try session.calendarFile.catalog() } catch {
                throw CommandOutput.fail("cannot read the clinic catalog: \(error)")
            }
            let known = AutoMapper.candidates(kind, catalog).map(\.id)
            guard known.contains(partnerID) else {
                throw CommandOutput.fail(
                    "\(partnerID) is not in the clinic's \(MapCommand.catalogTable(kind)) table (--force binds anyway)")
            }
            if kind == .plan { try checkPlanInsurance(session, catalog) }
        }
        let previous: String?
        do {
            previous = try session.store.mappings.set(kind, docplannerID, to: partnerID, source: .manual)
            try session.publishMappings()
        } catch {
            throw CommandOutput.fail("\(error)")
        }
        if options.json {
            try CommandOutput.printJSON(["kind": kind.rawValue, "docplannerID": docplannerID, "partnerID": partnerID])
        } else {
            print(
                "\(kind.rawValue) \(docplannerID) → \(partnerID)"
                    + (previous.map { $0 == partnerID ? " (unchanged)" : " (was \($0))" } ?? ""))
        }
    }
}

extension MapSetCommand {
    /// A plan goes to a clinic plan of the insurance its provider is mapped to: Docplanner
    /// takes a plan only with its own provider. (An unmapped provider is not checked.)
    func checkPlanInsurance(_ session: ClinicSession, _ catalog: ClinicCatalog) throws {
        let provider: String?
        let insurance: String?
        do {
            provider = try session.store.mappings.resource(.plan, docplannerID)?.resource.insuranceProviderID
            insurance = try provider.flatMap { id throws(StoreError) in
                try session.store.mappings.partnerID(.insurance, id)
            }
        } catch {
            throw CommandOutput.fail("cannot read the mappings: \(error)")
        }
        let planInsurance = catalog.insurancePlans.first { $0.id == partnerID }?.details["insurance_id"]
        guard let provider, let insurance, insurance != planInsurance else { return }
        throw CommandOutput.fail(
            "plan \(docplannerID) belongs to insurance provider \(provider), which is mapped to \(insurance), "
                + "but clinic plan \(partnerID) is a plan of \(planInsurance ?? "no insurance") (--force binds anyway)")
    }
}

struct MapUnsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset", abstract: "Remove the binding of one Docplanner resource.")

    @OptionGroup var options: ClinicCommandOptions
    @Argument(help: "facility, doctor, address, service, insurance or plan.")
    var kind: ResourceKind
    @Argument(help: "Docplanner's id.")
    var docplannerID: String

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let removed: Bool
        do {
            removed = try session.store.mappings.unset(kind, docplannerID)
            try session.publishMappings()
        } catch {
            throw CommandOutput.fail("\(error)")
        }
        if options.json {
            try CommandOutput.printJSON(["removed": removed])
        } else {
            print(
                removed
                    ? "\(kind.rawValue) \(docplannerID) is now unmapped"
                    : "\(kind.rawValue) \(docplannerID) was not mapped")
        }
    }
}

struct MapAutoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto",
        abstract: "Propose partner ids for unmapped resources by name and license number.",
        discussion: "Nothing is recorded without --apply; then only proposals at or above --min-confidence.")

    @OptionGroup var options: ClinicCommandOptions
    @Option(help: ArgumentHelp("Only this facility.", valueName: "id"))
    var facility: String?
    @Option(help: "Lowest confidence (0…1) that --apply records.")
    var minConfidence = 0.8
    @Flag(help: "Record the proposals at or above --min-confidence.")
    var apply = false

    struct Report: Encodable {
        var proposals: [AutoMapper.Proposal]
        var applied: Int
        var minConfidence: Double
    }

    func validate() throws {
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be between 0 and 1") }
    }

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let proposals: [AutoMapper.Proposal]
        do {
            let resources = try session.store.mappings.list(facilityID: facility, includeVanished: false)
            if resources.isEmpty { throw CommandOutput.fail("no resources discovered yet: run dpbridge map discover") }
            proposals = AutoMapper.propose(for: resources, catalog: try session.calendarFile.catalog())
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandOutput.fail("\(error)")
        }
        var applied = 0
        if apply {
            let chosen = proposals.filter { $0.confidence >= minConfidence }
            do {
                for proposal in chosen {
                    try session.store.mappings.set(
                        proposal.kind, proposal.docplannerID, to: proposal.partnerID, source: .auto,
                        confidence: proposal.confidence)
                }
                try session.publishMappings()
            } catch {
                throw CommandOutput.fail("\(error)")
            }
            applied = chosen.count
        }
        if options.json {
            try CommandOutput.printJSON(Report(proposals: proposals, applied: applied, minConfidence: minConfidence))
            return
        }
        if proposals.isEmpty {
            print("no proposals: every resource is mapped, or nothing in the clinic catalog resembles the rest")
            return
        }
        CommandOutput.printTable(
            ["KIND", "DOCPLANNER", "PARTNER", "CONFIDENCE", "WHY", ""],
            proposals.map {
                [
                    $0.kind.rawValue, "\($0.docplannerID) \($0.docplannerName)", "\($0.partnerID) \($0.partnerName)",
                    String(format: "%.2f", $0.confidence), $0.reason,
                    $0.confidence >= minConfidence ? (apply ? "applied" : "would apply") : "below threshold",
                ]
            })
        let eligible = proposals.filter { $0.confidence >= minConfidence }.count
        print(
            apply
                ? "\(applied) mappings recorded"
                : "\(eligible) of \(proposals.count) proposals at or above \(minConfidence): run again with --apply to record them"
        )
    }
}

struct MapExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every resource and its mapping as CSV.")

    @OptionGroup var options: ClinicCommandOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("File to write (default: standard output).", valueName: "path"))
    var output: String?
    @Option(help: ArgumentHelp("Only this facility.", valueName: "id"))
    var facility: String?

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let text: String
        do {
            text = MappingCSV.export(try session.store.mappings.list(facilityID: facility))
        } catch {
            throw CommandOutput.fail("cannot read the mappings: \(error)")
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw CommandOutput.fail("cannot write \(output): \(error.localizedDescription)")
        }
    }
}

struct MapImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load mappings from CSV (as written by export); an empty partner_id unbinds.",
        discussion: "Every line is checked first; when any is wrong, each problem is printed and nothing changes.")

    @OptionGroup var options: ClinicCommandOptions
    @Argument(help: ArgumentHelp("CSV file, or - for standard input.", valueName: "path"))
    var file: String
    @Flag(help: "Check the file and report what would change, without changing anything.")
    var dryRun = false

    func run() throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandOutput.fail("cannot read \(file)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let parsed = MappingCSV.parse(text)
        guard parsed.errors.isEmpty else {
            for error in parsed.errors { printError("dpbridge: \(file): \(error)") }
            throw ExitCode(1)
        }
        let session = try options.openSession()
        defer { session.close() }
        if dryRun {
            print("\(parsed.changes.count) lines are valid; nothing changed (--dry-run)")
            return
        }
        let outcome: (set: Int, unset: Int)
        do {
            outcome = try session.store.mappings.apply(parsed.changes, source: .import)
            try session.publishMappings()
        } catch let refusal as Mappings.BulkRefusal {
            for (index, reason) in refusal.refusals {
                printError("dpbridge: \(file): line \(parsed.lines[index]): \(reason)")
            }
            printError("dpbridge: nothing was imported")
            throw ExitCode(1)
        } catch {
            throw CommandOutput.fail("\(error)")
        }
        if options.json {
            try CommandOutput.printJSON(["lines": parsed.changes.count, "set": outcome.set, "unset": outcome.unset])
        } else {
            print("\(parsed.changes.count) lines: \(outcome.set) mappings set, \(outcome.unset) removed")
        }
    }
}

extension MapCommand {
    /// The calendar table holding the clinic's resources of `kind`.
    static func catalogTable(_ kind: ResourceKind) -> String {
        switch kind {
        case .facility: "clinic_facilities"
        case .doctor: "clinic_doctors"
        case .address: "clinic_locations"
        case .service: "clinic_services"
        case .insurance: "clinic_insurances"
        case .plan: "clinic_insurance_plans"
        }
    }
}
