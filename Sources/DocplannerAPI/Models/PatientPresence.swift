/// Whether the patient came: `PRESENT`/`ABSENT` in events, `present`/`absent` in
/// `Booking.presence`. The text is kept as received; `state` reads it case-insensitively.
package struct PatientPresence: Codable, Sendable, Hashable, CustomStringConvertible {
    package enum State: Sendable, Hashable {
        case present
        case absent
    }

    package let text: String

    package init(_ text: String) { self.text = text }

    /// The event spelling (`PRESENT`/`ABSENT`).
    package init(_ state: State) { text = state == .present ? "PRESENT" : "ABSENT" }

    package init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// nil for a value other than present/absent.
    package var state: State? {
        switch text.lowercased() {
        case "present": .present
        case "absent": .absent
        default: nil
        }
    }

    package var description: String { text }
}
