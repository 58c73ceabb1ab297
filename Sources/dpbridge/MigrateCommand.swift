import ArgumentParser
import Daemon

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring every tenant's store to this dpbridge's schema, and exit.",
        discussion: """
            With store.backend postgres, run it once before a new version's instances take \
            traffic (each tenant's schema dpbridge_<tenant> is made when missing). Instances \
            migrate as they start too; migrations are additive, so instances of the previous \
            version keep working meanwhile. A schema written by a newer dpbridge is refused: \
            upgrade this one instead. With SQLite the daemon migrates its file at start; this \
            does the same without starting it.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let loaded = try loadConfigurationOrExit(path: options.config)
        var failed = false
        for tenant in loaded.configuration.tenants {
            do {
                let outcome = try StoreMigration.migrate(tenant)
                let from = outcome.foundVersion.map { $0 == outcome.version ? "already at" : "from \($0) to" } ?? "at"
                print("tenant \(outcome.tenant): \(outcome.store) \(from) schema version \(outcome.version)")
                if let calendar = outcome.calendar { print("tenant \(outcome.tenant): \(calendar)") }
            } catch {
                printError("dpbridge: tenant \(tenant.tenant): \(tenant.storeDescription): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
