import Foundation

/// The parameters of a request's query string (`?tenant=default&state=dead,pending`),
/// percent-decoded, `+` read as a space. A name given twice keeps its last value.
struct QueryParameters: Sendable, Equatable {
    private var values: [String: String] = [:]

    init(_ query: Substring?) {
        guard let query else { return }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// `name=value&…` with both sides percent-encoded, for a request the CLI sends.
    static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return parameters.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
