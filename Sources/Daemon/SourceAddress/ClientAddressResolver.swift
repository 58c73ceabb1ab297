/// Finds the client behind a request: the socket peer, unless the peer is a trusted proxy;
/// then the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (each
/// proxy appends the address it received from, so entries left of that one were written
/// by whoever the client is, and may be forged). `X-Forwarded-For` from an untrusted peer
/// is ignored.
struct ClientAddressResolver: Sendable {
    let trustedProxies: [CIDRBlock]

    /// `peer` is `HTTPRequest.remoteAddress`; `forwardedFor` every `X-Forwarded-For` value, in
    /// order (looked for only when the peer is a trusted proxy: on every callback otherwise).
    func resolve(peer: String, forwardedFor: @autoclosure () -> [String]) -> ClientAddress {
        guard let peerAddress = IPAddress(peer) else { return .unreadable(peer) }
        guard trustedProxies.contains(peerAddress) else { return .known(peerAddress) }
        let entries = forwardedFor().flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces }
        var client = peerAddress
        for entry in entries.reversed() where !entry.isEmpty {
            guard let address = Self.forwardedAddress(entry) else { return .unreadable(entry) }
            client = address
            if !trustedProxies.contains(address) { return .known(address) }
        }
        // No entry, or every hop is a trusted proxy: the left-most one sent it.
        return .known(client)
    }

    /// An `X-Forwarded-For` entry as proxies write it: `203.0.113.7`, `2001:db8::1`, and
    /// with a port `203.0.113.7:41234` or `[2001:db8::1]:41234`.
    static func forwardedAddress(_ entry: String) -> IPAddress? {
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return nil }
            let rest = entry[entry.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            return IPAddress(String(entry[entry.index(after: entry.startIndex)..<close]))
        }
        if let address = IPAddress(entry) { return address }
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, isPort(":" + parts[1]), let address = IPAddress(String(parts[0])), address.isIPv4 else {
            return nil
        }
        return address
    }

    /// `:` followed by one to five digits.
    private static func isPort(_ text: some StringProtocol) -> Bool {
        let digits = text.dropFirst()
        return text.first == ":" && (1...5).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
