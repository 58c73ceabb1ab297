/// The UTC offset written at the end of an ISO 8601 date-time (`+01:00`, `-0300`, `Z`).
enum DateOffset {
    static func seconds(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count > 19 else { return nil }
        if bytes.last == UInt8(ascii: "Z") || bytes.last == UInt8(ascii: "z") { return 0 }
        guard let signIndex = bytes[19...].lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
        else {
            return nil
        }
        let digits = bytes[(signIndex + 1)...].filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = digits.count == 4 ? values[2] * 10 + values[3] : 0
        let sign = bytes[signIndex] == UInt8(ascii: "-") ? -1 : 1
        return sign * (hours * 3600 + minutes * 60)
    }
}
