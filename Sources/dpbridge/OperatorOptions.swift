import ArgumentParser
import Daemon

/// Options of every operator command: which configuration, which tenant, which output.
struct OperatorOptions: ParsableArguments {
    @OptionGroup var configuration: ConfigOptions

    @Option(help: ArgumentHelp("The clinic (a key under tenants:; default: the top level's).", valueName: "name"))
    var tenant: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    /// Resolves the target, opens a session (daemon running or stopped), runs `body`, and
    /// closes it. An `OperatorError` is printed as one line and exits 1.
    func withSession<T>(_ body: (OperatorSession) throws(OperatorError) -> T) throws -> T {
        do throws(OperatorError) {
            let target = try OperatorTarget.resolve(configPath: configuration.config, tenant: tenant)
            let session = try OperatorSession.open(target)
            defer { session.close() }
            return try body(session)
        } catch {
            printError("dpbridge: \(error)")
            throw ExitCode(1)
        }
    }

    /// Prints `report` as JSON, or `text()` as it is.
    func emit(_ report: some Encodable, _ text: () -> String) {
        if json {
            print(String(decoding: OperatorJSON.encode(report), as: UTF8.self))
        } else {
            print(text())
        }
    }
}
