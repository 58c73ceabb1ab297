/// Reads JSON text (RFC 8259, UTF-8) into a `JSONValue` in one pass over the bytes.
///
/// Every callback body is read once at receipt; Foundation's `JSONDecoder` took ~80 µs a
/// callback there (its lenient field reads each built an error on a type mismatch), this
/// reader and `JSONValueDecoder` a small part of that (`scripts/bench-e2e.sh`). It reads what
/// Foundation's reader reads (a trailing comma included) and refuses the rest: a leading
/// zero, a control character in a string, invalid UTF-8 or text after the value are errors
/// naming the byte offset.
package enum JSONReader {
    /// Why a text is not JSON, and where (a byte offset into it).
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package let reason: String
        package let offset: Int
        package var description: String { "\(reason) at byte \(offset)" }

        package init(reason: String, offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// Nesting deeper than this is refused rather than read recursively.
    package static let depthLimit = 256

    /// The value `bytes` hold.
    package static func read(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var reader = Cursor(buffer)
            return try reader.document()
        }
    }

    /// The value `text` holds.
    package static func read(_ text: String) throws(Failure) -> JSONValue {
        try read(Array(text.utf8))
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func document() throws(JSONReader.Failure) -> JSONValue {
        skipSpace()
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected text after the value") }
        return value
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> JSONReader.Failure {
        JSONReader.Failure(reason: reason, offset: offset ?? index)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(JSONReader.Failure) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of the text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONReader.Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of the text") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("unexpected character", at: index + offset)
        }
        index += count
    }

    private mutating func enter() throws(JSONReader.Failure) {
        depth += 1
        guard depth <= JSONReader.depthLimit else { throw fail("nesting deeper than \(JSONReader.depthLimit)") }
        index += 1
        skipSpace()
    }

    private mutating func object() throws(JSONReader.Failure) -> JSONValue {
        try enter()
        var members: [JSONObject.Element] = []
        // `{}`, or `}` after a trailing comma, which Foundation's reader accepts too.
        while !closes(UInt8(ascii: "}")) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail(index < bytes.count ? "expected a member name" : "unexpected end of the text")
            }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipSpace()
            members.append((key: key, value: try value()))  // the last of duplicate names counts (JSONObject)
            guard try continues(UInt8(ascii: "}")) else { break }
        }
        return .object(JSONObject(read: members))
    }

    private mutating func array() throws(JSONReader.Failure) -> JSONValue {
        try enter()
        var elements: [JSONValue] = []
        // `[]`, or `]` after a trailing comma, which Foundation's reader accepts too.
        while !closes(UInt8(ascii: "]")) {
            elements.append(try value())
            guard try continues(UInt8(ascii: "]")) else { break }
        }
        return .array(elements)
    }

    /// Whether the container ends here (`close` at `index`): then past it and out of it.
    private mutating func closes(_ close: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == close else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or an element: true past a `,` (another may follow), false once the
    /// container ended at `close`; anything else is an error.
    private mutating func continues(_ close: UInt8) throws(JSONReader.Failure) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end of the text") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            skipSpace()
            return true
        }
        guard closes(close) else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
        return false
    }

    /// A string whose opening quote is at `index`; leaves `index` after the closing one.
    private mutating func string() throws(JSONReader.Failure) -> String {
        let start = index + 1
        var end = start
        var ascii = true
        // The common case: no escape; the text is taken from the bytes as they are.
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                index = end + 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in a string", at: start)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character in a string", at: end) }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        guard end < bytes.count else { throw fail("unterminated string", at: index) }
        return try escapedString(from: start, plainUpTo: end)
    }

    /// The slow path of `string()`: the text has escapes, from `escape` on.
    private mutating func escapedString(from start: Int, plainUpTo escape: Int) throws(JSONReader.Failure) -> String {
        var text: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<escape]))
        var position = escape
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                index = position + 1
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in a string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { throw fail("unterminated string", at: start - 1) }
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad(at: position)
                    position += 4
                    if (0xD800..<0xDC00).contains(scalar), let low = try lowSurrogate(at: position) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    // A lone surrogate has no UTF-8 form: it reads as U+FFFD rather than failing the body.
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    text.append(contentsOf: character.utf8)
                default: throw fail("invalid escape in a string", at: position - 2)
                }
            default:
                if byte < 0x20 { throw fail("control character in a string", at: position) }
                text.append(byte)
                position += 1
            }
        }
        throw fail("unterminated string", at: start - 1)
    }

    /// The low surrogate of an escaped pair, when `\uDC00`…`\uDFFF` is at `position`.
    private func lowSurrogate(at position: Int) throws(JSONReader.Failure) -> UInt32? {
        guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
        else { return nil }
        let low = try hexQuad(at: position + 2)
        return (0xDC00..<0xE000).contains(low) ? low : nil
    }

    private func hexQuad(at position: Int) throws(JSONReader.Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("unterminated string", at: position) }
        var scalar: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape", at: position + offset)
            }
            scalar = scalar << 4 | UInt32(digit)
        }
        return scalar
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: a whole number that fits in
    /// 64 bits reads as `.int` (`1.0` and `1e2` too), anything else as `.double`.
    private mutating func number() throws(JSONReader.Failure) -> JSONValue {
        let start = index
        var position = index
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        func isDigit(_ at: Int) -> Bool {
            at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
        }
        guard isDigit(position) else { throw fail("invalid number", at: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw fail("invalid number (leading zero)", at: start) }
        } else {
            while isDigit(position) { position += 1 }
        }
        var integral = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard isDigit(position) else { throw fail("invalid number", at: start) }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard isDigit(position) else { throw fail("invalid number", at: start) }
            while isDigit(position) { position += 1 }
        }
        index = position
        if integral, let value = integer(from: negative ? start + 1 : start, to: position, negative: negative) {
            return .int(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw fail("invalid number", at: start) }
        // As `JSONValue` reads through Foundation's decoder: a whole number is an integer however written.
        if let whole = Int64(exactly: value) { return .int(whole) }
        return .double(value)
    }

    /// The digits in `start..<end` as an Int64, or nil when they do not fit.
    private func integer(from start: Int, to end: Int, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for position in start..<end {
            let digit = Int64(bytes[position] - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return value
    }
}
