import Glibc
import Testing

@testable import Daemon

/// `IPAddress` reads plain dotted quads itself and everything else with `inet_pton`; the
/// result must be what `inet_pton` alone gives, for any text.
@Suite struct IPAddressTests {
    /// What `inet_pton` makes of `text` (IPv4 mapped into IPv6), or nil.
    func byInetPton(_ text: String) -> UInt128? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return 0xffff << 32 | UInt128(UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return withUnsafeBytes(of: &v6) { bytes in bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
    }

    static let samples = [
        "127.0.0.1", "0.0.0.0", "255.255.255.255", "10.1.2.3", "192.168.100.200", "1.2.3.4", "256.1.1.1",
        "1.2.3.256", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.02.3.4", "1.2.3.00", "1.2.3.0", "0.0.0.00", "1..2.3",
        ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\0", "1.2.3.4\09", "1.2.3.-4", "+1.2.3.4", "1.2.3.4:80",
        "1.2.3.a", "1234.1.1.1", "999.999.999.999", "::ffff:1.2.3.4", "::1", "2001:db8::1", "", ".", "...", "1.2.3.4/8",
        "١.٢.٣.٤", "1.2.3.４", "0x1.2.3.4", "1.2.3.4.", "00000001.2.3.4",
    ]

    @Test func samplesReadAsInetPtonReadsThem() {
        for text in Self.samples {
            #expect(IPAddress(text)?.value == byInetPton(text), "\(text.debugDescription)")
        }
    }

    @Test func plainDottedQuadsAreReadWithoutInetPton() {
        #expect(IPAddress.plainDottedQuad("10.1.2.3") == 0x0A01_0203)
        #expect(IPAddress.plainDottedQuad("255.255.255.255") == 0xFFFF_FFFF)
        #expect(IPAddress.plainDottedQuad("0.0.0.0") == 0)
        #expect(IPAddress.plainDottedQuad("01.2.3.4") == nil)
        #expect(IPAddress.plainDottedQuad("::ffff:1.2.3.4") == nil)
    }

    @Test func generatedTextsReadAsInetPtonReadsThem() {
        // Deterministic pseudo-random texts over the characters that matter.
        let alphabet = Array("0123456789..........:x \0")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var accepted = 0
        for _ in 0..<200_000 {
            let length = 1 + next() % 16
            let text = String((0..<length).map { _ in alphabet[next() % alphabet.count] })
            let expected = byInetPton(text)
            if expected != nil { accepted += 1 }
            #expect(IPAddress(text)?.value == expected, "\(text.debugDescription)")
        }
        #expect(accepted > 100)
    }
}
