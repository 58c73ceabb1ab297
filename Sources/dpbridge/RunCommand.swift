import ArgumentParser
import Daemon
import Glibc
import Logging

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground (as systemd's ExecStart does).",
        discussion: """
            Opens the store, starts the public listener (Docplanner's callbacks and pings) and \
            the admin listener, and runs the workers until SIGTERM or SIGINT, then drains \
            gracefully. Logs go to the journal under systemd, as key=value lines to stderr otherwise.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        // Everything the daemon creates (stores, calendars, the lock, the Docplanner
        // address list, an admin socket) holds patient data or guards it: owner only,
        // under systemd (UMask=0077) or not.
        umask(0o077)
        MallocArenas.limit()
        // Before any other thread exists, so every thread inherits the blocked signals
        // and only the daemon's signal loop receives SIGTERM, SIGINT and SIGHUP.
        let signals = DaemonSignals()
        let loaded = try loadConfigurationOrExit(path: options.config)
        let configuration = loaded.configuration
        LoggingSetup.bootstrap(format: configuration.log.format, level: configuration.log.level)
        do {
            try DaemonRuntime.run(configuration: configuration, configPath: options.config, signals: signals)
        } catch {
            printError("dpbridge: \(error)")
            throw ExitCode(1)
        }
    }
}
