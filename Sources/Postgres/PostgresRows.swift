/// The rows a statement returned, as text (NULL as nil), with their column names.
package struct PostgresRows: Sendable, Equatable {
    package let columns: [String]
    package let rows: [[String?]]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), 0 for other statements.
    package let affected: Int

    package var count: Int { rows.count }

    /// The value of `column` in row `row`, nil when NULL, or no such row or column.
    package func text(_ row: Int, _ column: String) -> String? {
        guard rows.indices.contains(row), let index = columns.firstIndex(of: column) else { return nil }
        return rows[row][index]
    }

    /// The value of `column` in row `row` as an integer.
    package func integer(_ row: Int, _ column: String) -> Int64? { text(row, column).flatMap { Int64($0) } }

    /// A `bytea` column's bytes (the hex output form).
    package func bytes(_ row: Int, _ column: String) -> [UInt8]? { text(row, column).flatMap(Self.hexBytes) }

    /// The bytes of `text` in `bytea`'s hex output form (`\x` and two digits a byte); nil
    /// for any other text.
    package static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("\\x") else { return nil }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
