import Foundation
import HTTP1

/// The parameters of a request's query string (`?tenant=default&state=dead,pending`),
/// percent-decoded, `+` read as a space. A name given twice keeps its last value.
struct QueryParameters: Sendable, Equatable {
    private var values: [String: String] = [:]

    init(_ query: Substring?) {
        for (name, value) in PercentDecoding.query(query) { values[name] = value }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// `name=value&…` with both sides percent-encoded, for a request the CLI sends.
    static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return parameters.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
