/// Who sent a request, as far as it can be told: an address, or the text that stood where
/// one was expected (an empty peer, `unknown` or garbage in `X-Forwarded-For`).
enum ClientAddress: Sendable, Equatable, CustomStringConvertible {
    case known(IPAddress)
    case unreadable(String)

    var address: IPAddress? {
        if case .known(let address) = self { return address }
        return nil
    }

    /// The address, or the unreadable text cut to 64 characters (it comes from the network).
    var description: String {
        switch self {
        case .known(let address): "\(address)"
        case .unreadable(let text): "unreadable:" + String(text.prefix(64))
        }
    }
}
