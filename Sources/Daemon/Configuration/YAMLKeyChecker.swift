import Yams

/// Walks a YAML configuration file and reports keys that are not settings, and values
/// whose shape (mapping, list, scalar) cannot fit the setting, with line numbers.
enum YAMLKeyChecker {
    /// The file's top-level mapping; nil for a file with no document (empty or only
    /// comments); a problem for invalid YAML or a top level that is not a mapping.
    static func parse(_ bytes: [UInt8], path: String) -> Result<Node.Mapping?, ConfigurationProblem> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))
        } catch let error as YamlError {
            return .failure(.init(path, "invalid YAML: \(oneLine(error))"))
        } catch {
            return .failure(.init(path, "invalid YAML: \(error)"))
        }
        guard let root else { return .success(nil) }
        guard case .mapping(let mapping) = root else {
            return .failure(.init(path, "the top level must be a mapping of sections (listen:, docplanner:, …)"))
        }
        return .success(mapping)
    }

    /// Keys of `root` that are not settings, and values of a shape their setting cannot take.
    static func unknownKeys(in root: Node.Mapping, fileName: String) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        walk(root, prefix: "", fileName: fileName, problems: &problems)
        return problems
    }

    private static func walk(
        _ mapping: Node.Mapping, prefix: String, fileName: String, problems: inout [ConfigurationProblem]
    ) {
        for (keyNode, valueNode) in mapping {
            let line = (keyNode.mark?.line).map { " (\(fileName) line \($0))" } ?? ""
            guard let name = keyNode.string else {
                problems.append(.init(prefix.isEmpty ? fileName : prefix, "a key is not a string\(line)"))
                continue
            }
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            if key == "tenants" {
                walkTenants(valueNode, fileName: fileName, line: line, problems: &problems)
                continue
            }
            // Inside `tenants.<name>`, keys are checked as their top-level twins.
            let tenantPrefix = tenantPrefix(of: key)
            let plainKey = tenantPrefix.map { String(key.dropFirst($0.count + 1)) } ?? key
            if tenantPrefix != nil, let spec = ConfigurationSchema.setting(plainKey),
                !ConfigurationSchema.isTenantSetting(spec.key)
            {
                problems.append(.init(key, "a daemon-wide setting; set it at the top level, not per tenant\(line)"))
                continue
            }
            if let spec = ConfigurationSchema.setting(plainKey) {
                switch (spec.kind, valueNode) {
                case (.stringList, .sequence), (.stringList, .scalar):
                    break
                case (_, .scalar):
                    break
                case (.stringList, _):
                    problems.append(.init(key, "expected a list of strings\(line)"))
                default:
                    problems.append(.init(key, "expected \(article(spec.kind)), found a \(shape(valueNode))\(line)"))
                }
            } else if ConfigurationSchema.sections.contains(plainKey) {
                if case .mapping(let inner) = valueNode {
                    walk(inner, prefix: key, fileName: fileName, problems: &problems)
                } else if case .scalar(let scalar) = valueNode, scalar.string.isEmpty || scalar.string == "~" {
                    continue  // An empty section.
                } else {
                    problems.append(.init(key, "expected a section (a mapping of keys)\(line)"))
                }
            } else {
                problems.append(.init(key, "unknown key\(line)\(suggestion(for: key))"))
            }
        }
    }

    /// `tenants.<name>` when `key` lies inside a tenant's section.
    private static func tenantPrefix(of key: String) -> String? {
        let parts = key.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "tenants" else { return nil }
        return "tenants.\(parts[1])"
    }

    private static func walkTenants(
        _ node: Node, fileName: String, line: String, problems: inout [ConfigurationProblem]
    ) {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" { return }
        guard case .mapping(let tenants) = node else {
            problems.append(.init("tenants", "expected a mapping of tenant names to their settings\(line)"))
            return
        }
        for (nameNode, settings) in tenants {
            let name = nameNode.string ?? ""
            guard ConfigurationSchema.isValidTenantName(name) else {
                problems.append(
                    .init(
                        "tenants.\(name)",
                        "a tenant name is 1-40 lower-case letters, digits and dashes, and not 'default'\(line)"))
                continue
            }
            guard case .mapping(let inner) = settings else {
                problems.append(.init("tenants.\(name)", "expected a section (a mapping of keys)\(line)"))
                continue
            }
            walk(inner, prefix: "tenants.\(name)", fileName: fileName, problems: &problems)
        }
    }

    /// The tenant names a file declares under `tenants:`, in file order.
    static func tenantNames(in root: Node.Mapping) -> [String] {
        guard case .mapping(let tenants)? = root["tenants"] else { return [] }
        return tenants.compactMap { $0.key.string }
    }

    static func article(_ kind: SettingSpec.Kind) -> String {
        switch kind {
        case .int: "an integer"
        case .bool: "true or false"
        case .string: "a string"
        case .stringList: "a list of strings"
        }
    }

    private static func shape(_ node: Node) -> String {
        switch node {
        case .mapping: "mapping"
        case .sequence: "list"
        case .scalar: "scalar"
        case .alias: "alias"
        }
    }

    /// "did you mean …" for a key one edit away from a known key or section.
    private static func suggestion(for key: String) -> String {
        let candidates = ConfigurationSchema.settings.map(\.key) + ConfigurationSchema.sections
        let best = candidates.min { editDistance($0, key) < editDistance($1, key) }
        guard let best, editDistance(best, key) <= 2 else { return "" }
        return "; did you mean '\(best)'?"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    private static func oneLine(_ error: YamlError) -> String {
        "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
    }
}
