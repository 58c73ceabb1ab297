/// A statement parameter, sent as text (PostgreSQL casts it to the column's type).
package enum PostgresValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case bytes([UInt8])

    /// The text form libpq sends, nil for NULL.
    var text: String? {
        switch self {
        case .null: nil
        case .text(let value): value
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        case .bool(let value): value ? "t" : "f"
        case .bytes(let value):
            // bytea's hex input form.
            "\\x"
                + value.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined()
        }
    }
}
