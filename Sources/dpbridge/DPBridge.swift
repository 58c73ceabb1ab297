import ArgumentParser
import Daemon
import Foundation

@main
struct DPBridge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpbridge",
        abstract: "Connects a clinic's scheduling system to the Docplanner Integrations API.",
        discussion: """
            dpbridge receives Docplanner's callbacks, stores each one durably before answering, \
            applies them to the partner (clinic) system, and sends the clinic's changes back to \
            Docplanner within its rate limits. See README.md for the full guide.
            """,
        version: DaemonVersion.current,
        subcommands: [
            InitCommand.self, RunCommand.self, CheckConfigCommand.self, StatusCommand.self, QueueCommand.self,
            DeadLettersCommand.self, QuarantineCommand.self, EraseCommand.self, MapCommand.self, ActivateCommand.self,
            MigrateCommand.self, SimulateCommand.self, VersionCommand.self,
        ])

    /// As ArgumentParser's own, except that a usage error is one line (with where to
    /// find help) instead of the message followed by the whole usage text.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError("dpbridge: \(message) (see --help)")
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }
}

/// Options shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of the YAML configuration file.", valueName: "path"))
    var config: String = ConfigurationSchema.defaultPath
}
