import Foundation

/// Percent-encoding of query components for links (RFC 3986 unreserved characters kept);
/// decoding is HTTP1's `PercentDecoding`.
enum PercentEncoding {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
