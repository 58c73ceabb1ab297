/// One thing wrong with the configuration: the key (or file) it concerns and what is wrong.
public struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A dotted key, a file path, or an environment variable name.
    public let subject: String
    public let message: String

    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}

/// The configuration could not be loaded; `problems` lists every problem found, one per line.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
