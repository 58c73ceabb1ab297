#if canImport(Glibc)
import Glibc
#endif

/// Recognises textual IPv4/IPv6 addresses and CIDR blocks (`inet_pton` does the parsing).
enum IPAddressText {
    enum Family { case v4, v6 }

    static func family(of text: String) -> Family? {
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &buffer) == 1 { return .v4 }
        if inet_pton(AF_INET6, text, &buffer) == 1 { return .v6 }
        return nil
    }

    static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard let family = family(of: String(parts[0])) else { return false }
        if parts.count == 1 { return true }
        guard parts.count == 2, let bits = Int(parts[1]) else { return false }
        return bits >= 0 && bits <= (family == .v4 ? 32 : 128)
    }
}
