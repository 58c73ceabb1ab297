import Foundation

/// Values that dpbridge itself publishes (the demo configuration, the examples in README.md and docs/,
/// the production template's placeholder): anyone can read them, so none may guard a
/// real clinic's data.
enum PublishedExamples {
    /// What the production template (`etc/dpbridge.yaml`) holds where `dpbridge init` or
    /// the operator must write a real value.
    static let placeholder = "CHANGE-ME"

    /// Secrets printed in `etc/dpbridge-demo.yaml`, `scripts/demo.sh`, README.md and docs/ (and in
    /// the example configuration earlier versions installed).
    static let secrets: Set<String> = [
        "demo-callback-secret-0123456789",
        "demo-client-secret",
        "your-long-random-secret",
        "another-long-callback-secret",
        "example-secret",
    ]

    static func isPlaceholder(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).uppercased() == placeholder
    }
}
