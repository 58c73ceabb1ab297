import ArgumentParser
import Daemon
import Glibc

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Load and validate the configuration, then print the effective settings.",
        discussion: """
            Settings come from, in order of precedence: credential files in \
            $CREDENTIALS_DIRECTORY (systemd LoadCredential=), environment variables \
            DPBRIDGE_<KEY> (e.g. DPBRIDGE_DOCPLANNER_CLIENT_ID), the YAML file, and defaults. \
            Every problem is printed as one line naming the key and what is wrong; the exit \
            code is then 1. Secret values are never printed.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(name: .shortAndLong, help: "Print only problems, nothing when the configuration is valid.")
    var quiet = false

    @Flag(help: "Print the reference of every setting as a Markdown table and exit.")
    var reference = false

    func run() throws {
        if reference {
            print(ConfigurationSchema.markdownReference())
            return
        }
        let loaded = try loadConfigurationOrExit(path: options.config)
        if !quiet {
            print("configuration \(options.config) is valid")
            print(loaded.report())
        }
    }
}

/// Loads the configuration; on failure prints each problem as one line on stderr and exits 1.
/// Commands are synchronous (the daemon's threads are its own).
func loadConfigurationOrExit(path: String) throws -> LoadedConfiguration {
    switch ConfigurationLoader.loadWaiting(path: path) {
    case .success(let loaded):
        return loaded
    case .failure(let error):
        for problem in error.problems {
            printError("dpbridge: configuration: \(problem)")
        }
        throw ExitCode(1)
    }
}

/// Writes one line (or, without `newline`, text) to standard error.
func printError(_ line: String, newline: Bool = true) {
    var standardError = StandardError()
    print(line, terminator: newline ? "\n" : "", to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { buffer in
            Glibc.write(2, buffer.baseAddress, buffer.count)
        }
    }
}
