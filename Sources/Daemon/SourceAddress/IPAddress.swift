#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address, held as 128 bits: an IPv4 address is its IPv4-mapped form
/// (`::ffff:a.b.c.d`), so `10.1.2.3` and `::ffff:10.1.2.3` are the same address and both
/// fall in IPv4 blocks. `inet_pton` reads the text.
package struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address in network order as one number.
    let value: UInt128

    /// The IPv4-mapped prefix `::ffff:0:0/96`, where IPv4 addresses live.
    /// (A constant, not a lazy global: every callback's peer is read into one.)
    static var mappedPrefix: UInt128 { 0xffff << 32 }

    init(value: UInt128) { self.value = value }

    /// Parses a literal such as `203.0.113.7`, `2001:db8::1` or `::ffff:10.1.2.3`; nil for
    /// anything else (host names, ports, brackets, zone ids).
    package init?(_ text: String) {
        if let v4 = Self.plainDottedQuad(text) {
            value = Self.mappedPrefix | UInt128(v4)
            return
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            value = Self.mappedPrefix | UInt128(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        value = withUnsafeBytes(of: &v6) { bytes in bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }

    /// `a.b.c.d` written plainly (each part 0...255 without leading zeros), read without
    /// `inet_pton`: every callback request resolves its peer's address, and the C call with
    /// its string conversion cost most of that. Accepts only what `inet_pton(AF_INET)`
    /// accepts, with the same value; nil sends anything else to `inet_pton`.
    static func plainDottedQuad(_ text: String) -> UInt32? {
        var text = text
        return text.withUTF8 { bytes -> UInt32? in
            guard bytes.count >= 7 && bytes.count <= 15 else { return nil }
            var result: UInt32 = 0
            var part: UInt32 = 0
            var digits = 0
            var dots = 0
            for byte in bytes {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0 && dots < 3 else { return nil }
                    result = result << 8 | part
                    dots += 1
                    part = 0
                    digits = 0
                } else {
                    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                    guard digits == 0 || part != 0 else { return nil }  // a leading zero
                    part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                    guard part <= 255 else { return nil }
                    digits += 1
                }
            }
            guard digits > 0 && dots == 3 else { return nil }
            return result << 8 | part
        }
    }

    /// Whether this is an IPv4 address (written either way).
    package var isIPv4: Bool { value >> 32 == 0xffff }

    /// `127.0.0.0/8` or `::1`: only this host can reach it.
    package var isLoopback: Bool { value == 1 || (isIPv4 && (value >> 24) & 0xff == 127) }

    /// Dotted for IPv4, `inet_ntop`'s compressed form for IPv6.
    package var description: String {
        if isIPv4 {
            let bits = UInt32(truncatingIfNeeded: value)
            return [24, 16, 8, 0].map { String((bits >> $0) & 0xff) }.joined(separator: ".")
        }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { bytes in
            for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
