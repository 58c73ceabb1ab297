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

    func lenientString(_ key: Key) -> String? { lenientValue(key)?.lenientString }
    func lenientInt(_ key: Key) -> Int? { lenientValue(key)?.lenientInt }
    func lenientDouble(_ key: Key) -> Double? { lenientValue(key)?.lenientDouble }
    func lenientBool(_ key: Key) -> Bool? { lenientValue(key)?.lenientBool }

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

extension JSONValue {
    /// A string, or a number or boolean spelled as one.
    var lenientString: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// An integer, a whole-enough number, or one spelled as a string.
    var lenientInt: Int? {
        switch self {
        case .int(let value): Int(exactly: value)
        case .double(let value) where value.isFinite && abs(value) < 9e15: Int(value)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A number, or one spelled as a string.
    var lenientDouble: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A boolean, a number (0 is false), or `true`/`1`/`yes`, `false`/`0`/`no` spelled as a string.
    var lenientBool: Bool? {
        switch self {
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

    /// What kind of value this is, for messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One array element decoded leniently (nil when it does not decode).
struct LenientElement<T: Decodable>: Decodable {
    let value: T?
    init(from decoder: any Decoder) throws {
        value = try? T(from: decoder)
    }
}
