/// A block of addresses written `address/prefix` (`203.0.113.0/24`, `2001:db8::/32`), or
/// a single address without a prefix. Host bits after the prefix are ignored
/// (`10.1.2.3/8` is `10.0.0.0/8`). An IPv4 block also holds the IPv4-mapped IPv6 forms
/// of its addresses; an IPv6 block holds the IPv4 addresses whose mapped form it covers
/// (`::ffff:0:0/96` is every IPv4 address).
package struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    package let network: IPAddress
    /// Leading bits that must match, counted as written (0...32 for IPv4, 0...128 for IPv6).
    package let prefixLength: Int
    /// The same prefix counted over 128 bits.
    private let bits: Int

    /// Parses `text` (surrounding spaces allowed).
    package init(_ text: String) throws(CIDRError) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .empty }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { throw .notAnAddress(trimmed) }
        let writtenAsIPv4 = !parts[0].contains(":")
        let maximum = writtenAsIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(digits), number <= maximum
            else { throw .badPrefix(trimmed, maximum: maximum) }
            prefix = number
        }
        bits = writtenAsIPv4 ? 96 + prefix : prefix
        network = IPAddress(value: address.value & Self.mask(bits))
        prefixLength = prefix
    }

    /// Whether `address` lies in this block.
    package func contains(_ address: IPAddress) -> Bool {
        address.value & Self.mask(bits) == network.value
    }

    /// `network/prefix`, IPv4 blocks in dotted form.
    package var description: String {
        if bits >= 96, network.isIPv4 { return "\(network)/\(bits - 96)" }
        return "\(network)/\(bits)"
    }

    private static func mask(_ bits: Int) -> UInt128 {
        bits == 0 ? 0 : ~UInt128(0) << (128 - bits)
    }

    package static func == (a: CIDRBlock, b: CIDRBlock) -> Bool { a.network == b.network && a.bits == b.bits }
    package func hash(into hasher: inout Hasher) {
        hasher.combine(network)
        hasher.combine(bits)
    }
}

extension [CIDRBlock] {
    /// Whether any block holds `address`.
    func contains(_ address: IPAddress) -> Bool { contains { $0.contains(address) } }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
