/// Serialises responses: status line, `Date`, `Content-Length`, `Connection`, the
/// handler's headers, and the body (none for HEAD, 1xx, 204 and 304).
enum ResponseWriter {
    static func write(
        _ response: HTTPResponse, keepAlive: Bool, isHead: Bool, version: (major: Int, minor: Int), date: [UInt8],
        serverName: String?, into output: inout [UInt8]
    ) {
        let status = response.status
        if status == 200 && version.minor == 1 {
            append(ok11Date, to: &output)
        } else {
            append(version.minor == 0 ? http10 : http11, to: &output)
            appendDecimal(status, to: &output)
            output.append(32)
            output.append(contentsOf: HTTPResponse.reason(status).utf8)
            append(crlfDate, to: &output)
        }
        output.append(contentsOf: date)
        if let serverName {
            output.append(contentsOf: "\r\nServer: \(serverName)".utf8)
        }
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        // `Content-Length` and the end of the line or `Connection`, gathered on the stack
        // and appended once: each append checks the array's uniqueness and capacity.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 80) { line in
            var count = 0
            func put(_ text: StaticString) {
                (line.baseAddress! + count).initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
                count += text.utf8CodeUnitCount
            }
            if bodyAllowed {
                put(crlfContentLength)
                count += writeDecimal(response.body.count, into: UnsafeMutableBufferPointer(rebasing: line[count...]))
            }
            if !keepAlive {
                put(crlfConnectionClose)
            } else if version.minor == 0 {
                put(crlfConnectionKeepAlive)
            } else {
                put(crlf)
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<count]))
        }
        output.append(contentsOf: response.headerLines)
        if bodyAllowed && !isHead {
            output.append(contentsOf: response.body)
        }
    }

    /// The handler's header fields as written, `name: value` CRLF each, and the empty
    /// line that ends the head. The fields the
    /// server sets itself (`Content-Length`, `Connection`, `Date`, `Transfer-Encoding`)
    /// are left out, and CR and LF never reach the wire (nor a colon in a name), so a
    /// handler cannot inject headers.
    static func headerLines(_ headers: HTTPHeaders) -> [UInt8] {
        guard headers.count > 0 else { return emptyLine }
        var output: [UInt8] = []
        for field in headers.fields {
            switch field.name.utf8.count {
            case 4 where HTTPHeaders.equalsIgnoringCase(field.name, "Date"),
                10 where HTTPHeaders.equalsIgnoringCase(field.name, "Connection"),
                14 where HTTPHeaders.equalsIgnoringCase(field.name, "Content-Length"),
                17 where HTTPHeaders.equalsIgnoringCase(field.name, "Transfer-Encoding"):
                continue
            default:
                append(field.name, droppingColons: true, to: &output)
                output.append(58)
                output.append(32)
                append(field.value, droppingColons: false, to: &output)
                append(crlf, to: &output)
            }
        }
        append(crlf, to: &output)
        return output
    }

    /// Appends `text`'s UTF-8 without CR and LF (and colons when `droppingColons`): in one
    /// copy when it has none, as it almost always has.
    private static func append(_ text: String, droppingColons: Bool, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            func dropped(_ byte: UInt8) -> Bool { byte == 13 || byte == 10 || (droppingColons && byte == 58) }
            if bytes.contains(where: dropped) {
                for byte in bytes where !dropped(byte) { output.append(byte) }
            } else {
                output.append(contentsOf: bytes)
            }
        }
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    // Each line's CRLF is written with the start of the next, to append fewer pieces.
    // Static strings, not arrays: appending one is a copy from the binary's constant
    // bytes, with no lazy global to check and no retain and release of an array.
    private static let http11: StaticString = "HTTP/1.1 "
    private static let ok11Date: StaticString = "HTTP/1.1 200 OK\r\nDate: "
    private static let http10: StaticString = "HTTP/1.0 "
    private static let crlf: StaticString = "\r\n"
    private static let crlfDate: StaticString = "\r\nDate: "
    private static let crlfContentLength: StaticString = "\r\nContent-Length: "
    private static let crlfConnectionClose: StaticString = "\r\nConnection: close\r\n"
    private static let crlfConnectionKeepAlive: StaticString = "\r\nConnection: keep-alive\r\n"
    private static let emptyLine: [UInt8] = [13, 10]

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes `value` (not negative) in decimal at the start of `buffer` (room for 20
    /// digits); returns how many bytes it wrote.
    static func writeDecimal(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        var remaining = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            buffer[index] = UInt8(48 + remaining % 10)
            remaining /= 10
        }
        return count
    }

    static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<writeDecimal(value, into: digits)]))
        }
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for `seconds` since 1970.
    static func httpDate(_ seconds: Int) -> [UInt8] {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dayNumber = seconds / 86400
        let secondOfDay = seconds % 86400
        // Civil from days (Howard Hinnant's algorithm).
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text =
            "\(days[dayNumber % 7]), \(two(day)) \(months[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
        return Array(text.utf8)
    }
}
