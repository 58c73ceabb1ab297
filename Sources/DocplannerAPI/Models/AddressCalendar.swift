import Foundation

/// The state of an address's calendar (`GET …/calendar`).
public struct AddressCalendar: Codable, Sendable, Equatable {
    /// `enabled` or `disabled`.
    public var status: String?

    enum CodingKeys: String, CodingKey {
        case status
    }

    public init(
        status: String? = nil
    ) {
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = container.lenientString(.status)
    }
}

extension AddressCalendar {
    /// Whether the calendar is enabled.
    public var isEnabled: Bool { status?.lowercased() == "enabled" }
}
