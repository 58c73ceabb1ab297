import Foundation

/// Lenient field decoding: Docplanner's document declares no field required and its examples
/// put numbers where strings are declared (`"phone": 48123123123`) and strings where dates
/// are (`"canceled_at": "null,"`). A field that is missing, null or of an unexpected type
/// decodes as nil (or is converted) instead of failing the whole object.
extension KeyedDecodingContainer {
    func lenientString(_ key: Key) -> String? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(String.self, forKey: key) { return value }
        if let value = try? decode(Int64.self, forKey: key) { return String(value) }
        if let value = try? decode(Double.self, forKey: key) { return String(value) }
        if let value = try? decode(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    func lenientInt(_ key: Key) -> Int? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let value = try? decode(Double.self, forKey: key), value.isFinite,
            abs(value) < 9e15
        {
            return Int(value)
        }
        if let text = try? decode(String.self, forKey: key) {
            return Int(text.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    func lenientDouble(_ key: Key) -> Double? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Double.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            return Double(text.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    func lenientBool(_ key: Key) -> Bool? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Bool.self, forKey: key) { return value }
        if let value = try? decode(Int.self, forKey: key) { return value != 0 }
        if let text = try? decode(String.self, forKey: key) {
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        }
        return nil
    }

    /// A nested value, or nil when it is missing, null or does not decode.
    func lenient<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        return try? decode(T.self, forKey: key)
    }

    /// An array whose elements that fail to decode are skipped.
    func lenientArray<T: Decodable>(_ key: Key, of type: T.Type = T.self) -> [T]? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        guard let elements = try? decode([LenientElement<T>].self, forKey: key) else { return nil }
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
