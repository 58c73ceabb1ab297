import Foundation

/// One Docplanner event as the HTTP adapter forwards it to the partner: the event's
/// identity (`event_key`, also the `webhook-id` header), its time and the changes it asks
/// of the clinic calendar. The JSON shape is documented in docs/http-adapter.md ("The HTTP partner
/// adapter"); absent values are left out rather than sent as null.
package struct PartnerEvent: Sendable, Equatable, Encodable {
    package var eventKey: String
    package var eventTime: Date
    package var changes: [PartnerChange]

    package init(eventKey: String, eventTime: Date, changes: [PartnerChange]) {
        self.eventKey = eventKey
        self.eventTime = eventTime
        self.changes = changes
    }

    enum CodingKeys: String, CodingKey {
        case eventKey = "event_key"
        case eventTime = "event_time"
        case changes
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventKey, forKey: .eventKey)
        try container.encode(WireTime.text(eventTime), forKey: .eventTime)
        try container.encode(changes, forKey: .changes)
    }

    /// The request body: compact JSON with sorted keys (the bytes that are signed).
    package func jsonBody() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings, numbers, booleans and nested values of those: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}

/// Dates on the wire: ISO 8601 in UTC, whole seconds (`2026-03-02T09:00:00Z`).
enum WireTime {
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
