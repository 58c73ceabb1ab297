import Foundation

/// The state of an address's calendar (`GET …/calendar`).
package struct AddressCalendar: Codable, Sendable, Equatable {
    /// `enabled` or `disabled`.
    package var status: String?

    enum CodingKeys: String, CodingKey {
        case status
    }

    package init(
        status: String? = nil
    ) {
        self.status = status
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = container.lenientString(.status)
    }
}

extension AddressCalendar {
    /// Whether the calendar is enabled.
    package var isEnabled: Bool { status?.lowercased() == "enabled" }
}
