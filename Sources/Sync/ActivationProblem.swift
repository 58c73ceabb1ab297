/// Something that keeps a clinic from being ready, and the command or change that fixes it.
public struct ActivationProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var reason: String
    public var fix: String
    public init(_ reason: String, fix: String) {
        self.reason = reason
        self.fix = fix
    }
    public var description: String { "\(reason) — fix: \(fix)" }
}
