import ArgumentParser
import Daemon

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
            RunCommand.self, CheckConfigCommand.self, MapCommand.self, ActivateCommand.self, SimulateCommand.self,
            VersionCommand.self,
        ])
}

/// Options shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of the YAML configuration file.", valueName: "path"))
    var config: String = ConfigurationSchema.defaultPath
}
