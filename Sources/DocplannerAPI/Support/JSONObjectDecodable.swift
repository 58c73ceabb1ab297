/// A model read straight from a JSON object already parsed (`JSONValue`), member by member,
/// without the `Decoder` machinery: a callback's notification is read this way on the event
/// loop, where `init(from:)` through generic containers cost ~25 µs a callback. The model's
/// `init(from:)` takes the same path (`init(decoding:)`), so there is one reading of each.
protocol JSONObjectDecodable: Decodable {
    associatedtype Member: CodingKey
    /// The model from the members of its object, each read leniently (`JSONFields`).
    init(fields: JSONFields<Member>)
}

extension JSONObjectDecodable {
    /// The model, or nil when `value` is not an object.
    init?(json value: JSONValue) {
        guard case .object(let members) = value else { return nil }
        self.init(fields: JSONFields(members))
    }

    /// For `init(from:)`: the value under `decoder` read as an object (as `JSONValueDecoder`
    /// holds it, or as any other decoder gives it); a value that is not one throws, as a
    /// keyed container would.
    init(decoding decoder: any Decoder) throws {
        let value = try JSONValueDecoder.value(under: decoder)
        guard case .object(let members) = value else {
            let context = DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "expected an object, found \(value.kind)")
            throw value == .null
                ? DecodingError.valueNotFound(Self.self, context) : DecodingError.typeMismatch(Self.self, context)
        }
        self.init(fields: JSONFields(members))
    }
}

/// The members of one JSON object, read leniently as `KeyedDecodingContainer`'s lenient
/// reads do (`LenientDecoding.swift`): a member that is missing, null or of a kind that
/// does not convert reads as nil.
struct JSONFields<Key: CodingKey> {
    let members: JSONObject

    init(_ members: JSONObject) { self.members = members }

    /// The same members under other keys (a second spelling of a field).
    func keyed<Other: CodingKey>(by type: Other.Type) -> JSONFields<Other> { JSONFields<Other>(members) }

    /// The member, nil when it is missing or null.
    func value(_ key: Key) -> JSONValue? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return value
    }

    func lenientString(_ key: Key) -> String? { value(key)?.lenientString }
    func lenientInt(_ key: Key) -> Int? { value(key)?.lenientInt }
    func lenientBool(_ key: Key) -> Bool? { value(key)?.lenientBool }

    /// A nested object, nil when it is missing, null or not an object.
    func lenient<T: JSONObjectDecodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        value(key).flatMap { T(json: $0) }
    }

    /// A date-time, nil unless the member is a string.
    func lenient(_ key: Key, as type: DocplannerDateTime.Type = DocplannerDateTime.self) -> DocplannerDateTime? {
        guard case .string(let text) = value(key) else { return nil }
        return DocplannerDateTime(text)
    }

    /// Any other nested value, decoded from the tree (nil when it does not decode).
    func lenient<T: Decodable>(_ key: Key, as type: T.Type = T.self) -> T? {
        value(key).flatMap { try? JSONValueDecoder().decode(T.self, from: $0) }
    }

    /// An array whose elements that fail to decode are skipped.
    func lenientArray<T: Decodable>(_ key: Key, of type: T.Type = T.self) -> [T]? {
        guard case .array(let elements) = value(key) else { return nil }
        return elements.compactMap { try? JSONValueDecoder().decode(T.self, from: $0) }
    }
}
