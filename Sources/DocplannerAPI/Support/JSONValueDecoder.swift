/// Decodes a `Decodable` from a `JSONValue` read by `JSONReader`, as Foundation's
/// `JSONDecoder` would from the same text with its default strategies: an integer decodes
/// as a floating-point number and a whole floating-point number as an integer, nothing else
/// converts (the models' lenient reads do that themselves). A failed read throws a
/// `DecodingError` without formatting a description, so a lenient read that tries several
/// types costs little.
package struct JSONValueDecoder {
    package init() {}

    /// `type` decoded from `value`.
    package func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decode(type)
    }

    /// A decoder of `value`, for a type's `init(from:)`.
    package static func decoder(of value: JSONValue) -> any Decoder {
        TreeDecoder(value: value, codingPath: [])
    }

    /// The value `decoder` decodes: the tree's own when it is this decoder's, else read
    /// through `decoder` (another `Decoder`, such as Foundation's).
    static func value(under decoder: any Decoder) throws -> JSONValue {
        if let tree = decoder as? TreeDecoder { return tree.value }
        return try JSONValue(from: decoder)
    }

    /// `type` decoded from the JSON text in `bytes`.
    package func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSONReader.read(bytes))
    }
}

/// The `Decoder` over one value of the tree.
private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }  // kept as read: no walk through the containers
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self, value) { codingPath } }
        return KeyedDecodingContainer(KeyedTree<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self, value) { codingPath } }
        return UnkeyedTree(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleTree(value: value, codingPath: codingPath)
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no such member"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try primitive(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try primitive(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try floating(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try floating(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(try member(key)) { codingPath + [key] } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try integer(try member(key)) { codingPath + [key] }
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try integer(try member(key)) { codingPath + [key] }
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if T.self == JSONValue.self { return try member(key) as! T }  // as read, no decoder made
        return try TreeDecoder(value: try member(key), codingPath: codingPath + [key]).decode(type)
    }

    /// One lookup, where the protocol's default looks the member up three times
    /// (`contains`, `decodeNil`, `decode`): the models' lenient reads all come here.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        if T.self == JSONValue.self { return (value as! T) }
        return try TreeDecoder(value: value, codingPath: codingPath + [key]).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members["super"] ?? .null, codingPath: codingPath + [TreeKey("super")])
    }

    /// As `JSONDecoder`: a missing member gives a decoder of `null`.
    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedTree: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element and its index.
    private mutating func next() throws -> (JSONValue, Int) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self, .init(codingPath: codingPath, debugDescription: "no more elements"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], currentIndex)
    }

    private func path(_ index: Int) -> [any CodingKey] { codingPath + [TreeKey(index: index)] }

    /// The next element read by `read`, the path built only if it fails.
    private mutating func nextScalar<T>(_ read: (JSONValue, () -> [any CodingKey]) throws -> T) throws -> T {
        let (value, index) = try next()
        return try read(value) { path(index) }
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try nextScalar(primitive) }
    mutating func decode(_ type: String.Type) throws -> String { try nextScalar(primitive) }
    mutating func decode(_ type: Double.Type) throws -> Double { try nextScalar(floating) }
    mutating func decode(_ type: Float.Type) throws -> Float { try nextScalar(floating) }
    mutating func decode(_ type: Int.Type) throws -> Int { try nextScalar(integer) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try nextScalar(integer) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try nextScalar(integer) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try nextScalar(integer) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try nextScalar(integer) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try nextScalar(integer) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try nextScalar(integer) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try nextScalar(integer) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try nextScalar(integer) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try nextScalar(integer) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, index) = try next()
        return try TreeDecoder(value: value, codingPath: path(index)).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, index) = try next()
        return try TreeDecoder(value: value, codingPath: path(index)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, index) = try next()
        return try TreeDecoder(value: value, codingPath: path(index)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, index) = try next()
        return TreeDecoder(value: value, codingPath: path(index))
    }
}

private struct SingleTree: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try primitive(value) { codingPath } }
    func decode(_ type: String.Type) throws -> String { try primitive(value) { codingPath } }
    func decode(_ type: Double.Type) throws -> Double { try floating(value) { codingPath } }
    func decode(_ type: Float.Type) throws -> Float { try floating(value) { codingPath } }
    func decode(_ type: Int.Type) throws -> Int { try integer(value) { codingPath } }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(value) { codingPath } }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(value) { codingPath } }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(value) { codingPath } }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(value) { codingPath } }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(value) { codingPath } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(value) { codingPath } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(value) { codingPath } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(value) { codingPath } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(value) { codingPath } }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try TreeDecoder(value: value, codingPath: codingPath).decode(type)
    }
}

/// A key of a coding path: a member name or an array index.
private struct TreeKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ name: String) {
        stringValue = name
        intValue = nil
    }
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

/// The error of a value of the wrong kind; its text names the kind found, and nothing is
/// formatted until someone reads it.
private func mismatch(
    _ type: Any.Type, _ value: JSONValue, _ path: () -> [any CodingKey]
) -> DecodingError {
    let found: String
    switch value {
    case .null: return .valueNotFound(type, .init(codingPath: path(), debugDescription: "the value is null"))
    case .bool: found = "the value is a boolean"
    case .int, .double: found = "the value is a number"
    case .string: found = "the value is a string"
    case .array: found = "the value is an array"
    case .object: found = "the value is an object"
    }
    return .typeMismatch(type, .init(codingPath: path(), debugDescription: found))
}

private func primitive(_ value: JSONValue, _ path: () -> [any CodingKey]) throws -> Bool {
    guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, path) }
    return flag
}

private func primitive(_ value: JSONValue, _ path: () -> [any CodingKey]) throws -> String {
    guard case .string(let text) = value else { throw mismatch(String.self, value, path) }
    return text
}

private func floating<T: BinaryFloatingPoint>(_ value: JSONValue, _ path: () -> [any CodingKey]) throws -> T {
    switch value {
    case .int(let number): return T(number)
    case .double(let number):
        let converted = T(number)
        guard converted.isFinite || !number.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "the number does not fit"))
        }
        return converted
    default: throw mismatch(T.self, value, path)
    }
}

private func integer<T: FixedWidthInteger>(_ value: JSONValue, _ path: () -> [any CodingKey]) throws -> T {
    let converted: T?
    switch value {
    case .int(let number): converted = T(exactly: number)
    case .double(let number): converted = T(exactly: number)
    default: throw mismatch(T.self, value, path)
    }
    guard let converted else {
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "the number does not fit"))
    }
    return converted
}
