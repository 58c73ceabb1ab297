/// One thing wrong with the configuration: the key (or file) it concerns and what is wrong.
package struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A dotted key, a file path, or an environment variable name.
    package let subject: String
    package let message: String

    package init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    package var description: String { "\(subject): \(message)" }
}

/// The configuration could not be loaded; `problems` lists every problem found, one per line.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    package let problems: [ConfigurationProblem]

    package init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    package var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
