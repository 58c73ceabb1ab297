import ArgumentParser
import Daemon
import Foundation

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List, show or purge callback bodies that could not be parsed.",
        discussion: """
            A request on the callback URL with the right secret whose body is not a JSON \
            object is answered 400 and its body kept here (the newest 1,000, for \
            retention.quarantine_days at most). Bodies may hold patients' data. Works on the \
            running daemon through its admin listener, or on the store directly while the \
            daemon is stopped.
            """,
        subcommands: [List.self, Show.self, Purge.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List quarantined bodies, newest first.")

        @OptionGroup var options: OperatorOptions

        @Option(help: ArgumentHelp("Show at most this many (default 50).", valueName: "n"))
        var limit: Int?

        func run() throws {
            let list = try options.withSession { session throws(OperatorError) in
                try session.quarantineList(limit: limit)
            }
            options.emit(list) { QuarantineCommand.text(list) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one quarantined body: when, from where, why, and the body.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The body's id.")
        var id: Int64

        @Flag(help: "Show the patient's data in the body (redacted by default: it is health data).")
        var revealPatientData = false

        func run() throws {
            let detail = try options.withSession { session throws(OperatorError) in
                try session.quarantineShow(id: id, revealPatient: revealPatientData)
            }
            options.emit(detail) {
                OperatorFormat.table([
                    ["id", "\(detail.id)"],
                    ["received", OperatorFormat.time(detail.receivedAt)],
                    ["source", detail.source.isEmpty ? "-" : detail.source],
                    ["reason", detail.reason],
                    ["bytes", "\(detail.bytes)"],
                ]) + "\nbody:\n" + detail.body
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete quarantined bodies: the ids given, or --all --yes.",
            discussion: "With ids, either every one is deleted or, if one is unknown, none is.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The ids of the bodies.")
        var ids: [Int64] = []

        @Flag(help: "Delete every quarantined body.")
        var all = false

        @Flag(help: "Confirm --all.")
        var yes = false

        func run() throws {
            let report = try options.withSession { session throws(OperatorError) in
                let selection = try QuarantineSelection(ids: ids, all: all)
                if all && !yes {
                    let total = try session.quarantineList(limit: 1).total
                    throw .badArguments("--all would delete \(total) quarantined body(ies): add --yes to do it")
                }
                return try session.quarantinePurge(selection)
            }
            options.emit(report) {
                report.count == 0
                    ? "nothing to purge"
                    : "purged \(report.count) quarantined body(ies): \(report.ids.map(String.init).joined(separator: ", "))"
            }
        }
    }

    static func text(_ list: QuarantineList) -> String {
        guard !list.entries.isEmpty else { return "no quarantined bodies" }
        var rows = [["ID", "RECEIVED", "SOURCE", "BYTES", "REASON"]]
        for entry in list.entries {
            rows.append([
                "\(entry.id)", OperatorFormat.time(entry.receivedAt), entry.source.isEmpty ? "-" : entry.source,
                "\(entry.bytes)", OperatorFormat.short(entry.reason),
            ])
        }
        var text = OperatorFormat.table(rows)
        if list.total > list.entries.count {
            text += "\n\(list.entries.count) of \(list.total) shown (raise --limit to see more)"
        }
        return text
    }
}
