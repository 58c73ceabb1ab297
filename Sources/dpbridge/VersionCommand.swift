import ArgumentParser
import Daemon

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print dpbridge's version and the Docplanner API version it implements.")

    func run() {
        print("dpbridge \(DaemonVersion.current) (Docplanner Integrations API \(DaemonVersion.docplannerAPI))")
    }
}
