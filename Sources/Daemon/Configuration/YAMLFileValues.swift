import Configuration
import Yams

/// The configuration file's values by dotted key (`docplanner.client_id`,
/// `tenants.<name>.store.path`), taken from the one parse of the file that the key check
/// also walks, and converted to a setting's type the way swift-configuration's
/// `YAMLSnapshot` does (Yams' scalar constructors).
///
/// `YAMLSnapshot` is not used because it parses the file again and flattens it with a
/// `removeFirst` per key: for a file of 1,000 tenants that alone took 1.4 s of the
/// daemon's start.
struct YAMLFileValues {
    private enum Value {
        case scalar(Node.Scalar)
        case sequence([Node.Scalar])
    }

    /// A value the file holds in a shape no setting takes, or not of the type asked for.
    struct ShapeError: Error, CustomStringConvertible {
        let key: String
        let problem: String
        var description: String { "\(key): \(problem)" }
    }

    private var values: [String: Value] = [:]

    /// Flattens `root`; throws for a key that is not a string, a list holding anything but
    /// scalars, or an alias.
    init(root: Node.Mapping) throws(ShapeError) {
        var pending: [(prefix: String, mapping: Node.Mapping)] = [("", root)]
        while let (prefix, mapping) = pending.popLast() {
            for (keyNode, node) in mapping {
                guard let name = keyNode.string else {
                    throw ShapeError(key: prefix.isEmpty ? "(top level)" : prefix, problem: "a key is not a string")
                }
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                switch node {
                case .mapping(let inner):
                    pending.append((key, inner))
                case .scalar(let scalar):
                    values[key] = .scalar(scalar)
                case .sequence(let sequence):
                    var scalars: [Node.Scalar] = []
                    for (index, item) in sequence.enumerated() {
                        guard case .scalar(let scalar) = item else {
                            throw ShapeError(key: key, problem: "item \(index) of the list is not a scalar")
                        }
                        scalars.append(scalar)
                    }
                    values[key] = .sequence(scalars)
                case .alias:
                    throw ShapeError(key: key, problem: "aliases are not supported")
                }
            }
        }
    }

    /// The value at `components` as `type`; nil when the file does not hold it; throws
    /// when it holds a value that is not of that type.
    func value(forKey components: [String], type: ConfigType) throws(ShapeError) -> ConfigValue? {
        let key = components.joined(separator: ".")
        guard let value = values[key] else { return nil }
        let content: ConfigContent? =
            switch (type, value) {
            case (.string, .scalar(let scalar)): .string(scalar.string)
            case (.int, .scalar(let scalar)): Int.construct(from: scalar).map { .int($0) }
            case (.bool, .scalar(let scalar)): Bool.construct(from: scalar).map { .bool($0) }
            case (.double, .scalar(let scalar)): Double.construct(from: scalar).map { .double($0) }
            case (.stringArray, .sequence(let items)): .stringArray(items.map(\.string))
            default: nil
            }
        guard let content else { throw ShapeError(key: key, problem: "not convertible to \(type)") }
        return ConfigValue(content, isSecret: false)
    }
}
