import ArgumentParser
import Daemon
import Foundation
import Logging

/// Options of the commands that work on one clinic's store and calendar (`map`, `activate`).
struct ClinicCommandOptions: ParsableArguments {
    /// `--config`, `--tenant` and `--json`, as every operator command has them.
    @OptionGroup var common: OperatorOptions

    var json: Bool { common.json }
    var tenant: String? { common.tenant }

    /// Loads the configuration, sends logs to stderr (warnings and errors only) and opens
    /// the session; a failure is one line on stderr and exit code 1.
    func openSession() throws -> ClinicSession {
        let loaded = try loadConfigurationOrExit(path: common.configuration.config)
        LoggingSetup.bootstrap(format: "text", level: "warning")
        guard let configuration = loaded.configuration.tenant(named: tenant) else {
            let known = loaded.configuration.tenants.map(\.tenant).joined(separator: ", ")
            throw CommandOutput.fail("unknown tenant \"\(tenant ?? "")\": this configuration has \(known)")
        }
        do {
            return try ClinicSession(configuration: configuration)
        } catch {
            printError("dpbridge: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Output helpers shared by the operator commands.
enum CommandOutput {
    /// Prints `value` as pretty, key-sorted JSON on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        print(String(decoding: OperatorJSON.encode(value), as: UTF8.self))
    }

    /// Prints rows as columns aligned under `header`.
    static func printTable(_ header: [String], _ rows: [[String]]) {
        print(OperatorFormat.table([header] + rows))
    }

    /// Fails the command with one line on stderr.
    static func fail(_ message: String) -> ExitCode {
        printError("dpbridge: \(message)")
        return ExitCode(1)
    }
}
