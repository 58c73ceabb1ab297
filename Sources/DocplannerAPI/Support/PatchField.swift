/// A field of a PATCH body that the document declares `nullable`: left out (unchanged),
/// sent as JSON `null` (Docplanner clears the value: "Send null to clear"), or sent.
package enum PatchField<Value: Codable & Sendable & Equatable>: Sendable, Equatable, ExpressibleByNilLiteral {
    case unchanged
    case clear
    case set(Value)

    /// `.unchanged`: `nil` in an initializer leaves the field out, as for other fields.
    package init(nilLiteral: ()) { self = .unchanged }

    /// `.set(value)`, or `.clear` when `value` is nil: the field says exactly `value`.
    package init(exactly value: Value?) { self = value.map { .set($0) } ?? .clear }

    /// The value sent, if any.
    package var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

extension KeyedEncodingContainer {
    /// Encodes `field`: nothing when unchanged, `null` when cleared.
    mutating func encode<Value>(_ field: PatchField<Value>, forKey key: Key) throws {
        switch field {
        case .unchanged: break
        case .clear: try encodeNil(forKey: key)
        case .set(let value): try encode(value, forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a field written by `encode(_:forKey:)`: absent, `null` or a value.
    func decode<Value>(_ type: PatchField<Value>.Type, forKey key: Key) throws -> PatchField<Value> {
        guard contains(key) else { return .unchanged }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try decode(Value.self, forKey: key))
    }
}
