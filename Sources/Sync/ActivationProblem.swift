/// Something that keeps a clinic from being ready, and the command or change that fixes it.
package struct ActivationProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    package var reason: String
    package var fix: String
    package init(_ reason: String, fix: String) {
        self.reason = reason
        self.fix = fix
    }
    package var description: String { "\(reason) — fix: \(fix)" }
}
