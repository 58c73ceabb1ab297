import Foundation

/// One notification, pushed to the callback URL or pulled from `GET /notifications`:
/// `{"name": "<event>", "data": {…}, "created_at": "<ISO 8601>"}`.
package struct DocplannerNotification: Codable, Sendable, Equatable, JSONObjectDecodable {
    /// The event name as received (an open string: it may be one this version does not know).
    package var name: String
    package var createdAt: DocplannerDateTime?
    package var event: CallbackEvent

    package init(event: CallbackEvent, createdAt: DocplannerDateTime?) {
        name = event.name
        self.event = event
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, data
        case createdAt = "created_at"
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    /// Read member by member (`JSONObjectDecodable`): an event whose `data` is missing or
    /// null has a `data` without members; a known event whose `data` is not an object keeps
    /// it raw (`unknown`) rather than lose it.
    init(fields container: JSONFields<CodingKeys>) {
        name = container.lenientString(.name) ?? ""
        createdAt = container.lenient(.createdAt)
        event = CallbackEvent.read(name: name, data: container.value(.data) ?? .object([:]))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try event.encodeData(to: container.superEncoder(forKey: .data))
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }

    /// Decodes one notification from a callback or pull body.
    package static func decode(_ body: [UInt8]) throws(DocplannerError) -> DocplannerNotification {
        let value: JSONValue
        do {
            value = try JSONReader.read(body)
        } catch {
            throw .undecodable(what: "notification", reason: error.description)
        }
        return try decode(value)
    }

    /// Decodes one notification from a callback or pull body.
    package static func decode(_ body: Data) throws(DocplannerError) -> DocplannerNotification {
        try decode([UInt8](body))
    }

    /// Decodes one notification from a JSON value already read.
    package static func decode(_ value: JSONValue) throws(DocplannerError) -> DocplannerNotification {
        guard let notification = DocplannerNotification(json: value) else {
            throw .undecodable(what: "notification", reason: "expected an object, found \(value.kind)")
        }
        return notification
    }

    /// Whether Docplanner waits for the answer (`slot-booking`, `booking-moving`).
    package var isBlocking: Bool { event.knownName?.isBlocking ?? false }

    /// Identifies the event across re-sends and across PUSH and PULL:
    /// `<name>|<resource>|<created_at>` with the resource spelled as the daemon's callback
    /// classifier spells it (`visit_booking:<id>`, `break:<id>`, `address_service:<id>`,
    /// `address:<id>`, or `old>new` for `booking-moved`). When the event names no resource,
    /// the resource part is a digest of its `data`.
    package var identityKey: String {
        let resource = event.identityResource ?? "data:\(fnv1a64Hex(Array(dataJSONText.utf8)))"
        return "\(name)|\(resource)|\(createdAt?.text ?? "")"
    }

    /// Events with the same ordering key must be applied in order: `booking:<id>` for events
    /// about one existing booking (the old booking for `booking-moved` and `booking-moving`),
    /// else the doctor-address calendar `calendar:<facility>/<doctor>/<address>`.
    package var orderingKey: String {
        if let booking = event.bookingID { return "booking:\(booking)" }
        let place = event.place
        return "calendar:\(place.facility?.id ?? "")/\(place.doctor?.id ?? "")/\(place.address?.id ?? "")"
    }

    /// The `data` member re-encoded as compact JSON with sorted keys.
    var dataJSONText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let wrapper = DataOnly(event: event)
        return (try? encoder.encode(wrapper)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Encodes just an event's `data`.
private struct DataOnly: Encodable {
    let event: CallbackEvent
    func encode(to encoder: any Encoder) throws { try event.encodeData(to: encoder) }
}

/// FNV-1a 64-bit, as hex (the same digest the daemon's callback classifier uses).
func fnv1a64Hex(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
