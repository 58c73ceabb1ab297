/// URLs as the daemon shows them (logs, `check-config`): any `user:password@` before the
/// host is replaced, so a partner endpoint's credentials never reach the journal.
enum URLCredentials {
    static func hidden(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "<credentials>" + String(rest[at...])
    }
}
