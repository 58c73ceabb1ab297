import ArgumentParser
import Daemon

struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase one patient's data on request (GDPR art. 17): a dry run unless --yes.",
        discussion: """
            Finds the patient by phone (compared by its digits; one without a country code \
            also matches the same number with one) or e-mail (any case) in the store and in \
            the clinic calendar (the embedded file, or the HTTP adapter's mirror): inbox and \
            outbox payloads lose the patient (and the visit's comment), the jobs stay; \
            quarantined bodies holding them are deleted; bookings keep their visit but their \
            patient fields and comment are blanked, so the schedule stays right. Decisions \
            hold no patient data. Without --yes it only counts. Deleted bytes are \
            overwritten. Works on the running daemon, or on the files while it is stopped.
            """)

    @OptionGroup var options: OperatorOptions

    @Option(
        name: .customLong("patient-phone"),
        help: ArgumentHelp("The patient's phone (repeat for each form you know).", valueName: "phone"))
    var phones: [String] = []

    @Option(
        name: .customLong("patient-email"),
        help: ArgumentHelp("The patient's e-mail address (may be repeated).", valueName: "email"))
    var emails: [String] = []

    @Flag(help: "Erase (without it: only count what would be erased).")
    var yes = false

    func run() throws {
        let report = try options.withSession { session throws(OperatorError) in
            try session.erase(ErasureRequest(phones: phones, emails: emails, apply: yes))
        }
        options.emit(report) { Self.text(report) }
    }

    static func text(_ report: ErasureReport) -> String {
        let verb = report.erased ? "" : "would be "
        var rows: [[String]] = [
            ["inbox jobs", "\(report.inboxJobs)", "payloads \(verb)redacted; the jobs stay"],
            ["outbox jobs", "\(report.outboxJobs)", "payloads \(verb)redacted; the jobs stay"],
            ["quarantined bodies", "\(report.quarantined)", "\(verb)deleted"],
            [
                "calendar bookings", "\(report.bookings)",
                report.calendar.map { "patient fields and comment \(verb)blanked; the visits stay (\($0))" }
                    ?? "no calendar file yet",
            ],
            ["decisions", "-", "hold no patient data"],
        ]
        if report.inFlight > 0 {
            rows.append([
                "in flight", "\(report.inFlight)", "jobs a worker holds now: left as they are; run erase again",
            ])
        }
        let head =
            report.erased
            ? "erased (tenant \(report.tenant), daemon \(report.daemon.rawValue)):"
            : "dry run, nothing changed (tenant \(report.tenant)); add --yes to erase:"
        return head + "\n" + OperatorFormat.table(rows)
    }
}
