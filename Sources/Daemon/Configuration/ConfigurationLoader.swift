import Configuration
import Foundation
import Yams

/// Where an effective setting came from.
package enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case credential(String)
    case environment(String)
    case file(String)
    case defaultValue
    case unset

    package var description: String {
        switch self {
        case .credential(let name): "credential \(name)"
        case .environment(let name): "environment \(name)"
        case .file(let path): "file \(path)"
        case .defaultValue: "default"
        case .unset: "not set"
        }
    }
}

/// A loaded configuration with the source of each setting, for `check-config`.
package struct LoadedConfiguration: Sendable {
    package let configuration: DaemonConfiguration
    package let sources: [String: SettingSource]
    /// Every setting's effective value rendered as text; secrets are never included.
    let renderedValues: [String: String]

    /// One line per setting: `key = value  (source)`, secrets shown as `<secret>`.
    package func report() -> String {
        ConfigurationSchema.settings.map { spec in
            let source = sources[spec.key] ?? .unset
            let value: String
            if spec.isSecret {
                value = source == .unset ? "(not set)" : "<secret>"
            } else {
                value = renderedValues[spec.key].map { $0.isEmpty ? "\"\"" : $0 } ?? "(not set)"
            }
            return "\(spec.key) = \(value)  (\(source))"
        }.joined(separator: "\n")
    }
}

/// Loads dpbridge's configuration from, in order of precedence:
/// credential files in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`), environment
/// variables `DPBRIDGE_…`, the YAML file, and the defaults of `ConfigurationSchema`.
/// Collects every problem instead of stopping at the first.
package enum ConfigurationLoader {
    package static func load(
        path: String = ConfigurationSchema.defaultPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> LoadedConfiguration {
        var problems: [ConfigurationProblem] = []

        // The file: read it ourselves to report unreadable files and unknown keys by name.
        let fileName = (path as NSString).lastPathComponent
        var fileValues: YAMLFileValues?
        var tenantNames: [String] = []
        switch readFile(path) {
        case .failure(let problem):
            problems.append(problem)
        case .success(let bytes):
            // One parse of the file serves the key check, the tenant list and the values.
            switch YAMLKeyChecker.parse(bytes, path: path) {
            case .failure(let problem):
                problems.append(problem)
            case .success(nil):
                break  // An empty file: every setting from elsewhere.
            case .success(let root?):
                problems += YAMLKeyChecker.unknownKeys(in: root, fileName: fileName)
                tenantNames = YAMLKeyChecker.tenantNames(in: root)
                if problems.isEmpty {
                    do {
                        fileValues = try YAMLFileValues(root: root)
                    } catch {
                        problems.append(.init(path, "not a valid configuration file: \(error)"))
                    }
                }
            }
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }

        // Environment: unknown DPBRIDGE_ variables are mistakes worth reporting.
        let knownVariables = Set(ConfigurationSchema.settings.map(\.environmentVariable))
        for name in environment.keys.sorted()
        where name.hasPrefix("DPBRIDGE_") && !knownVariables.contains(name) {
            problems.append(.init(name, "unknown environment variable (no such setting)"))
        }
        let environmentProvider = EnvironmentVariablesProvider(environmentVariables: environment)

        // Credentials (systemd LoadCredential=), or, for a command run from a shell, the
        // files `dpbridge init` wrote beside the configuration when this user may read them.
        var credentialsProvider: DirectoryFilesProvider?
        if let directory = credentialsDirectory(configPath: path, environment: environment) {
            do {
                credentialsProvider = try await DirectoryFilesProvider(
                    directoryPath: .init(directory), allowMissing: true)
            } catch {
                problems.append(.init(directory, "cannot read credentials directory: \(error)"))
            }
        }

        var resolver = SettingResolver(
            file: fileValues, filePath: path, environment: environmentProvider,
            credentials: credentialsProvider)
        for spec in ConfigurationSchema.settings {
            resolver.resolve(spec)
        }
        problems += resolver.problems
        if !problems.isEmpty { throw ConfigurationError(problems) }

        let builder = ConfigurationBuilder(values: resolver.values, filePath: path)
        var configuration: DaemonConfiguration
        do {
            configuration = try builder.build()
        } catch {
            throw error
        }
        problems += UnsafeSettings.daemonProblems(in: configuration)
        for name in tenantNames {
            var own = SettingResolver(
                file: fileValues, filePath: path, environment: environmentProvider, credentials: credentialsProvider)
            own.tenant = name
            for spec in ConfigurationSchema.settings where ConfigurationSchema.isTenantSetting(spec.key) {
                own.resolve(spec)
            }
            problems += own.problems
            for key in ConfigurationSchema.tenantOwnSettings where own.values[key] == nil {
                problems.append(.init("tenants.\(name).\(key)", "required for each tenant (tenants may not share it)"))
            }
            guard problems.isEmpty else { continue }
            do {
                var values = resolver.values.merging(own.values) { $1 }
                for key in ConfigurationSchema.tenantUninherited where own.values[key] == nil { values[key] = nil }
                var tenant = try ConfigurationBuilder(values: values, filePath: path).build()
                tenant.tenant = name
                configuration.otherTenants.append(tenant)
            } catch {
                problems += error.problems.map { .init("tenants.\(name).\($0.subject)", $0.message) }
            }
        }
        problems += Self.clashes(configuration.tenants)
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return LoadedConfiguration(
            configuration: configuration, sources: resolver.sources,
            renderedValues: resolver.renderedValues)
    }

    /// `$CREDENTIALS_DIRECTORY` when set; else the `credentials` directory beside the
    /// configuration file, when it exists and can be read; else nil.
    static func credentialsDirectory(configPath: String, environment: [String: String]) -> String? {
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty { return directory }
        let beside = credentialsDirectory(besideConfiguration: configPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: beside, isDirectory: &isDirectory), isDirectory.boolValue,
            access(beside, R_OK | X_OK) == 0
        else { return nil }
        return beside
    }

    /// `<directory of the configuration file>/credentials`: where `dpbridge init` writes the secrets.
    package static func credentialsDirectory(besideConfiguration configPath: String) -> String {
        ((configPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("credentials")
    }

    /// Tenants must not share a callback URL, a store or a calendar.
    static func clashes(_ tenants: [DaemonConfiguration]) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func check(_ what: String, _ key: String, _ value: (DaemonConfiguration) -> String?) {
            var seen: [String: String] = [:]
            for tenant in tenants {
                guard let v = value(tenant) else { continue }
                if let other = seen[v] {
                    let subject = tenant.tenant == "default" ? key : "tenants.\(tenant.tenant).\(key)"
                    problems.append(.init(subject, "the same \(what) as tenant \(other); each clinic needs its own"))
                } else {
                    seen[v] = tenant.tenant
                }
            }
        }
        check("callback secret", "callback.secret") { $0.callback.secret.value }
        check("admin token", "listen.admin.token") { $0.admin.token.map(\.value).flatMap { $0.isEmpty ? nil : $0 } }
        check("store", "store.path") { $0.storePath }
        check("Docplanner client", "docplanner.client_id") { $0.docplanner.clientID }
        check("partner calendar", "partner.embedded.path") {
            if case .embedded(let path) = $0.partner { return path }
            return nil
        }
        check("store directory (the HTTP adapter's mirror sits beside the store)", "store.path") {
            guard case .http = $0.partner else { return nil }
            return ($0.storePath as NSString).deletingLastPathComponent
        }
        return problems
    }

    static func readFile(_ path: String) -> Result<[UInt8], ConfigurationProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(.init(path, "cannot read configuration file: no such file (give another with --config)"))
        }
        if isDirectory.boolValue {
            return .failure(.init(path, "cannot read configuration file: it is a directory"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(.init(path, "cannot read configuration file: permission denied"))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return .success([UInt8](data))
        } catch {
            return .failure(.init(path, "cannot read configuration file: \(error.localizedDescription)"))
        }
    }
}
