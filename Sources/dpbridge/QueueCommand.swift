import ArgumentParser
import Daemon
import Store

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List, show, retry or purge the jobs of the inbox and the outbox.",
        discussion: """
            The inbox holds Docplanner's events for the clinic calendar, the outbox the \
            clinic's changes for Docplanner. Job ids are per queue: when both queues have \
            the id, say which with --queue. Works on the running daemon through its admin \
            listener, or on the store directly while the daemon is stopped.
            """,
        subcommands: [List.self, Show.self, Retry.self, Purge.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs, oldest first (every state but done unless --state says otherwise).")

        @OptionGroup var options: OperatorOptions

        @Option(help: ArgumentHelp("Only this queue: inbox or outbox.", valueName: "queue"))
        var queue: String?

        @Option(
            help: ArgumentHelp(
                "Only jobs in this state: pending, retrying, in-flight, dead or done (repeat, or separate with commas).",
                valueName: "state"))
        var state: [String] = []

        @Option(help: ArgumentHelp("Show at most this many jobs (default 50).", valueName: "n"))
        var limit: Int?

        func run() throws {
            let list = try options.withSession { session throws(OperatorError) in
                try session.list(
                    JobQuery(
                        queue: queue, states: state.flatMap { $0.split(separator: ",").map(String.init) }, limit: limit)
                )
            }
            options.emit(list) { JobTable.text(list, deadLetters: false) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything stored about one job: keys, payload, attempts, last error, times.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The job's id.")
        var id: Int64

        @Option(
            help: ArgumentHelp("The job's queue: inbox or outbox (needed when both have the id).", valueName: "queue"))
        var queue: String?

        @Flag(help: "Show the patient's data in the payload (redacted by default: it is health data).")
        var revealPatientData = false

        func run() throws {
            let job = try options.withSession { session throws(OperatorError) in
                try session.show(id: id, queue: queue, revealPatient: revealPatientData)
            }
            options.emit(job) { JobTable.detail(job) }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a job due now; a dead letter goes back to pending with a fresh attempt count.")

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The job's id.")
        var id: Int64

        @Option(
            help: ArgumentHelp("The job's queue: inbox or outbox (needed when both have the id).", valueName: "queue"))
        var queue: String?

        func run() throws {
            let report = try options.withSession { session throws(OperatorError) in
                try session.retry(id: id, queue: queue)
            }
            options.emit(report) {
                let job = "\(report.queue.rawValue) job \(report.id)"
                switch report.previousState {
                case .dead: return "\(job) was a dead letter: it is pending again, with a fresh attempt count"
                case .pending: return "\(job) is pending: it is due already"
                default: return "\(job) is \(report.state.rawValue): due now"
                }
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete pending, retrying or dead jobs: the ids given, or --all --yes.",
            discussion: """
                A job a worker holds (in flight) or a finished one is never deleted. With ids, \
                either every one is deleted or, if one cannot be, none is. --all deletes every \
                pending, retrying and dead job (narrow it with --queue and --state) and needs \
                --yes; without --yes it only says how many jobs it would delete.
                """)

        @OptionGroup var options: OperatorOptions

        @Argument(help: "The ids of the jobs to delete.")
        var ids: [Int64] = []

        @Option(help: ArgumentHelp("Only this queue: inbox or outbox.", valueName: "queue"))
        var queue: String?

        @Option(
            help: ArgumentHelp("With --all: only jobs in this state (pending, retrying, dead).", valueName: "state"))
        var state: [String] = []

        @Flag(help: "Delete every pending, retrying and dead job (of --queue, in --state).")
        var all = false

        @Flag(help: "Confirm --all.")
        var yes = false

        func run() throws {
            let states = state.flatMap { $0.split(separator: ",").map(String.init) }
            let report = try options.withSession { session throws(OperatorError) in
                let selection = try JobSelection(queue: queue, ids: ids, all: all, states: states)
                if all && !yes {
                    let matching = try session.list(
                        JobQuery(
                            queue: queue, states: states.isEmpty ? ["pending", "retrying", "dead"] : states, limit: 1))
                    throw .badArguments(
                        "--all would delete \(matching.total) job(s) (\(OperatorFormat.scope(queue, states))): add --yes to do it"
                    )
                }
                return try session.purge(selection)
            }
            options.emit(report) { JobTable.change(report) }
        }
    }
}
