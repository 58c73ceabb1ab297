import Foundation

/// Lenient field decoding: Docplanner's document declares no field required and its examples
/// put numbers where strings are declared (`"phone": 48123123123`) and strings where dates
/// are (`"canceled_at": "null,"`). A field that is missing, null or of an unexpected type
/// decodes as nil (or is converted) instead of failing the whole object.
extension KeyedDecodingContainer {
    /// The member as read, nil when it is missing or null: one read of a `JSONValue`
    /// (which `JSONValueDecoder` hands over as it is) instead of one attempt per type.
    private func lenientValue(_ key: Key) -> JSONValue? {
        guard let value = (try? decodeIfPresent(JSONValue.self, forKey: key)) ?? nil, value != .null else { return nil }
        return value
    }

    func lenientString(_ key: Key) -> String? {
        switch lenientValue(key) {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    func lenientInt(_ key: Key) -> Int? {
        switch lenientValue(key) {
        case .int(let value): Int(exactly: value)
        case .double(let value) where value.isFinite && abs(value) < 9e15: Int(value)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    func lenientDouble(_ key: Key) -> Double? {
        switch lenientValue(key) {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    func lenientBool(_ key: Key) -> Bool? {
        switch lenientValue(key) {
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): Int64(exactly: value).map { $0 != 0 }
        case .string(let text):
            switch text.lowercased() {
            case "true", "1", "yes": true
            case "false", "0", "no": false
            default: nil
            }
        default: nil
        }
    }

    /// A nested value, or nil when it is missing, null or does not decode.
    func lenient<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }

    /// An array whose elements that fail to decode are skipped.
    func lenientArray<T: Decodable>(_ key: Key, of type: T.Type = T.self) -> [T]? {
        guard let elements = (try? decodeIfPresent([LenientElement<T>].self, forKey: key)) ?? nil else { return nil }
        return elements.compactMap(\.value)
    }
}

/// One array element decoded leniently (nil when it does not decode).
struct LenientElement<T: Decodable>: Decodable {
    let value: T?
    init(from decoder: any Decoder) throws {
        value = try? T(from: decoder)
    }
}
