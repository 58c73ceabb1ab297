import ArgumentParser
import Daemon
import Foundation
import Logging
import Partner
import Store
import Sync

struct ActivateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Run Docplanner's activation steps for a facility, in order, and report readiness.",
        discussion: """
            1. PUSH: the callback URL answers and Docplanner pings it (or PULL mode is set). \
            2. Doctor profiles fed with the mapped services and insurances with their plans \
            (clinic_offers, clinic_location_insurances, clinic_location_insurance_plans). \
            3. Calendars fed with available slots. 4. Bookings \
            synchronized both ways over the horizon. 5. Calendar breaks fed. Each step prints ✓ \
            or ✗ with the reason and the fix. Every step compares before writing, so the command \
            is safe to run again and resumes where it stopped. Exit code 0 when ready, 1 when not.
            """)

    @OptionGroup var options: ClinicCommandOptions
    @Option(help: ArgumentHelp("Docplanner's facility id.", valueName: "id"))
    var facility: String
    @Option(help: ArgumentHelp("Only this doctor's addresses.", valueName: "id"))
    var doctor: String?

    func run() throws {
        let session = try options.openSession()
        defer { session.close() }
        let configuration = session.configuration
        let callbackStep = CallbackReadiness(configuration: configuration)
            .check(lastPing: try? session.store.values.date(StoreValues.lastPingKey))
        let calendarFile = session.calendarFile
        let activation = Activation(
            docplanner: session.docplanner, store: session.store,
            catalog: { () throws(PartnerError) in try calendarFile.catalog() },
            partner: session.partner, horizonWeeks: configuration.docplanner.horizonWeeks,
            logger: Logger(label: "dpbridge.activate"))
        let report = activation.run(facilityID: facility, doctorID: doctor, callbackStep: callbackStep)
        try? session.publishMappings()
        if options.json {
            try CommandOutput.printJSON(report)
        } else {
            print("activation of facility \(facility)\(doctor.map { ", doctor \($0)" } ?? "")")
            for step in report.steps {
                print("\(step.ok ? "✓" : "✗") \(step.number). \(step.title): \(step.summary)")
                for problem in step.problems.prefix(10) {
                    print("    ✗ \(problem.reason)")
                    print("      fix: \(problem.fix)")
                }
                if step.problems.count > 10 { print("    … and \(step.problems.count - 10) more (see --json)") }
            }
            print(
                report.ready
                    ? "ready: every step is green (\(report.writeCalls) write calls this run)"
                    : "not ready: \(report.steps.filter { !$0.ok }.count) step(s) red; fix them and run dpbridge activate again"
            )
        }
        if !report.ready { throw ExitCode(1) }
    }
}
