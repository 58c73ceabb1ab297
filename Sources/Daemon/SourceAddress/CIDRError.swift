/// Why a text is not an address or CIDR block.
package enum CIDRError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// The part before `/` is not an IPv4 or IPv6 literal.
    case notAnAddress(String)
    /// The part after `/` is not a number from 0 to `maximum`.
    case badPrefix(String, maximum: Int)

    package var description: String {
        switch self {
        case .empty:
            "an empty entry is not an address or CIDR block"
        case .notAnAddress(let text):
            "'\(text)' is not an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24, 2001:db8::/32)"
        case .badPrefix(let text, let maximum):
            "'\(text)' has a bad prefix length: it must be a number from 0 to \(maximum)"
        }
    }
}
