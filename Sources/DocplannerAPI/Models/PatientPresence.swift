/// Whether the patient came: `PRESENT`/`ABSENT` in events, `present`/`absent` in
/// `Booking.presence`. The text is kept as received; `state` reads it case-insensitively.
public struct PatientPresence: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum State: Sendable, Hashable {
        case present
        case absent
    }

    public let text: String

    public init(_ text: String) { self.text = text }

    /// The event spelling (`PRESENT`/`ABSENT`).
    public init(_ state: State) { text = state == .present ? "PRESENT" : "ABSENT" }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// nil for a value other than present/absent.
    public var state: State? {
        switch text.lowercased() {
        case "present": .present
        case "absent": .absent
        default: nil
        }
    }

    public var description: String { text }
}
