import Foundation

/// Decides what a request on the callback URL is: Docplanner's ping, an event to store,
/// or a body that cannot be parsed (quarantined). Pure: no I/O.
enum CallbackClassification: Equatable {
    /// GET/HEAD, an empty POST, or a JSON object without an event `name`.
    case ping
    /// An event; `dedupKey` identifies it across re-sends and across PUSH and PULL.
    case event(name: String, dedupKey: String, fields: EventFields)
    /// Not JSON, or not a JSON object.
    case unparseable(reason: String)

    /// Identifiers worth logging with the event.
    struct EventFields: Equatable {
        var bookingID: String?
        var doctorID: String?
        var addressID: String?
        var facilityID: String?
        var createdAt: String?
    }
}

enum CallbackClassifier {
    static func classify(method: String, body: [UInt8]) -> CallbackClassification {
        if method == "GET" || method == "HEAD" { return .ping }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .ping }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            return .unparseable(reason: "the body is not valid JSON")
        }
        guard let event = object as? [String: Any] else {
            return .unparseable(reason: "the body is not a JSON object")
        }
        guard let name = event["name"] as? String, !name.isEmpty else { return .ping }
        let data = event["data"] as? [String: Any] ?? [:]
        let booking = data["visit_booking"] as? [String: Any]
            ?? (data["new_visit_booking"] as? [String: Any])
        let fields = CallbackClassification.EventFields(
            bookingID: idString(booking?["id"]),
            doctorID: idString((data["doctor"] as? [String: Any])?["id"]),
            addressID: idString((data["address"] as? [String: Any])?["id"]),
            facilityID: idString((data["facility"] as? [String: Any])?["id"]),
            createdAt: event["created_at"] as? String)
        return .event(name: name, dedupKey: dedupKey(name: name, data: data, createdAt: fields.createdAt, body: body), fields: fields)
    }

    /// `name|resource|created_at` when the event names its resource and time (the same
    /// event pushed twice, or pushed and pulled, has the same key); otherwise a digest
    /// of the whole body.
    static func dedupKey(name: String, data: [String: Any], createdAt: String?, body: [UInt8]) -> String {
        let resource: String? = {
            if let old = data["old_visit_booking"] as? [String: Any], let new = data["new_visit_booking"] as? [String: Any] {
                return [idString(old["id"]), idString(new["id"])].compactMap { $0 }.joined(separator: ">")
            }
            for key in ["visit_booking", "break", "address_service"] {
                if let id = idString((data[key] as? [String: Any])?["id"]) { return "\(key):\(id)" }
            }
            if let address = idString((data["address"] as? [String: Any])?["id"]) { return "address:\(address)" }
            return nil
        }()
        if let resource, let createdAt, !resource.isEmpty {
            return "\(name)|\(resource)|\(createdAt)"
        }
        return "body|\(Digest.fnv1a64Hex(body))|\(body.count)"
    }

    /// Docplanner ids are strings, but some payloads carry numbers.
    static func idString(_ value: Any?) -> String? {
        switch value {
        case let text as String: text.isEmpty ? nil : text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}

/// A fast non-cryptographic digest for dedup keys of bodies without an event identity.
enum Digest {
    static func fnv1a64Hex(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
