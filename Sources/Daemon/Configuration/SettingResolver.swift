import Configuration

/// Finds each setting's effective value in the sources, in order of precedence, and
/// records where it came from and every problem on the way.
struct SettingResolver {
    let file: YAMLFileValues?
    let filePath: String
    let environment: EnvironmentVariablesProvider
    let credentials: DirectoryFilesProvider?

    private(set) var values: [String: ConfigContent] = [:]
    private(set) var sources: [String: SettingSource] = [:]
    private(set) var renderedValues: [String: String] = [:]
    private(set) var problems: [ConfigurationProblem] = []
    /// For a tenant: its name. Only its own file section (`tenants.<name>.…`) and its
    /// credential files (`<name>_<credential>`) are read; nothing found leaves a setting unset.
    var tenant: String?

    init(
        file: YAMLFileValues?, filePath: String, environment: EnvironmentVariablesProvider,
        credentials: DirectoryFilesProvider?
    ) {
        self.file = file
        self.filePath = filePath
        self.environment = environment
        self.credentials = credentials
    }

    mutating func resolve(_ spec: SettingSpec) {
        let type = configType(spec.kind)
        let components = spec.key.split(separator: ".").map(String.init)

        var lookups: [(SettingSource, () throws -> ConfigValue?)] = []
        if let tenant {
            if let credentials, let name = spec.credentialName {
                let file = "\(tenant)_\(name)"
                lookups.append(
                    (.credential(file), { try credentials.value(forKey: AbsoluteConfigKey([file]), type: type).value }))
            }
            if let file {
                lookups.append(
                    (
                        .file(filePath),
                        {
                            try file.value(forKey: ["tenants", tenant] + components, type: type)
                        }
                    ))
            }
            resolve(spec, lookups)
            return
        }
        if let credentials, let name = spec.credentialName {
            lookups.append(
                (
                    .credential(name),
                    {
                        try credentials.value(forKey: AbsoluteConfigKey([name]), type: type).value
                    }
                ))
        }
        lookups.append(
            (
                .environment(spec.environmentVariable),
                { [environment] in
                    try environment.value(forKey: AbsoluteConfigKey(["dpbridge"] + components), type: type).value
                }
            ))
        if let file {
            lookups.append(
                (
                    .file(filePath),
                    {
                        try file.value(forKey: components, type: type)
                    }
                ))
        }

        guard !resolve(spec, lookups) else { return }
        if let text = spec.defaultValue {
            accept(spec, defaultContent(spec.kind, text), from: .defaultValue)
        } else {
            sources[spec.key] = .unset
        }
    }

    /// Takes the first value a lookup finds; false when none did.
    @discardableResult
    private mutating func resolve(_ spec: SettingSpec, _ lookups: [(SettingSource, () throws -> ConfigValue?)]) -> Bool
    {
        let key = tenant.map { "tenants.\($0).\(spec.key)" } ?? spec.key
        for (source, lookup) in lookups {
            let found: ConfigValue?
            do {
                found = try lookup()
            } catch {
                problems.append(.init(key, "expected \(YAMLKeyChecker.article(spec.kind)) (from \(source))"))
                return true
            }
            guard let found else { continue }
            if case .string(let text) = found.content, text.isEmpty, spec.isSecret || spec.isRequired {
                continue  // An empty secret or required value counts as not given.
            }
            accept(spec, found.content, from: source)
            return true
        }
        return false
    }

    private mutating func accept(_ spec: SettingSpec, _ content: ConfigContent, from source: SettingSource) {
        if let problem = check(spec, content, source: source) {
            problems.append(tenant.map { .init("tenants.\($0).\(problem.subject)", problem.message) } ?? problem)
            return
        }
        values[spec.key] = content
        sources[spec.key] = source
        if !spec.isSecret { renderedValues[spec.key] = URLCredentials.hidden(render(content)) }
    }

    private func check(_ spec: SettingSpec, _ content: ConfigContent, source: SettingSource) -> ConfigurationProblem? {
        switch content {
        case .int(let number):
            if let range = spec.range, !range.contains(number) {
                return .init(
                    spec.key, "\(number) is out of range \(range.lowerBound)...\(range.upperBound) (from \(source))")
            }
        case .string(let text):
            if let allowed = spec.allowedValues, !allowed.contains(text) {
                let shown = spec.isSecret ? "value" : "'\(text)'"
                return .init(spec.key, "\(shown) is not one of \(allowed.joined(separator: ", ")) (from \(source))")
            }
        default:
            break
        }
        return nil
    }

    private func configType(_ kind: SettingSpec.Kind) -> ConfigType {
        switch kind {
        case .string: .string
        case .int: .int
        case .bool: .bool
        case .stringList: .stringArray
        }
    }

    private func defaultContent(_ kind: SettingSpec.Kind, _ text: String) -> ConfigContent {
        switch kind {
        case .string: .string(text)
        case .int: .int(Int(text)!)
        case .bool: .bool(text == "true")
        case .stringList: .stringArray(text.isEmpty ? [] : text.split(separator: ",").map(String.init))
        }
    }

    private func render(_ content: ConfigContent) -> String {
        switch content {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        case .stringArray(let list): "[" + list.joined(separator: ", ") + "]"
        default: "\(content)"
        }
    }
}
