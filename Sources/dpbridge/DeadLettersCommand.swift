import ArgumentParser
import Daemon
import Store

struct DeadLettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadletters",
        abstract: "List, replay or purge dead letters: jobs that failed for good, with the reason.",
        discussion: """
            A dead letter is an event or a change that can never succeed as it is (Docplanner \
            refused it, or it names nothing to apply). Fix the cause, then replay it; or purge \
            it. Works on the running daemon, or on the store while the daemon is stopped.
            """,
        subcommands: [List.self, Replay.self, Purge.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, oldest first, with their reason.")

        @OptionGroup var options: OperatorOptions

        @Option(help: ArgumentHelp("Only this queue: inbox or outbox.", valueName: "queue"))
        var queue: String?

        @Option(help: ArgumentHelp("Show at most this many (default 50).", valueName: "n"))
        var limit: Int?

        func run() throws {
            let list = try options.withSession { session throws(OperatorError) in
                try session.list(JobQuery(queue: queue, states: ["dead"], limit: limit))
            }
            options.emit(list) { JobTable.text(list, deadLetters: true) }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters back in their queue with a fresh attempt count: the ids given, or --all.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The ids of the dead letters.")
        var ids: [Int64] = []

        @Option(help: ArgumentHelp("Only this queue: inbox or outbox.", valueName: "queue"))
        var queue: String?

        @Flag(help: "Replay every dead letter (of --queue).")
        var all = false

        func run() throws {
            let report = try options.withSession { session throws(OperatorError) in
                try session.replay(JobSelection(queue: queue, ids: ids, all: all))
            }
            options.emit(report) { JobTable.change(report) }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete dead letters: the ids given, or --all --yes.",
            discussion: "With ids, either every one is deleted or, if one is not a dead letter, none is.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The ids of the dead letters.")
        var ids: [Int64] = []

        @Option(help: ArgumentHelp("Only this queue: inbox or outbox.", valueName: "queue"))
        var queue: String?

        @Flag(help: "Delete every dead letter (of --queue).")
        var all = false

        @Flag(help: "Confirm --all.")
        var yes = false

        func run() throws {
            let report = try options.withSession { session throws(OperatorError) in
                let selection = try JobSelection(queue: queue, ids: ids, all: all)
                if all && !yes {
                    let matching = try session.list(JobQuery(queue: queue, states: ["dead"], limit: 1))
                    throw .badArguments(
                        "--all would delete \(matching.total) dead letter(s) (\(OperatorFormat.scope(queue, ["dead"]))): add --yes to do it"
                    )
                }
                return try session.purgeDeadLetters(selection)
            }
            options.emit(report) { JobTable.change(report) }
        }
    }
}
