import Foundation
import HTTP1

/// Docplanner's published list of the addresses it calls from, outside the API (no token,
/// no rate limit): `GET /public/docs/public-ips.json`, shaped like the document's example,
/// trailing comma included, and `GET /public/docs/public-ips.txt`, one address a line.
enum PublicIPRoutes {
    static func register(_ addresses: [String], on router: inout Router) {
        let json = HTTPResponse(
            status: 200, headers: [("Content-Type", "application/json")], body: Array(jsonDocument(addresses).utf8))
        let text = HTTPResponse(
            status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Array(addresses.map { $0 + "\n" }.joined().utf8))
        router.add("GET", "/public/docs/public-ips.json") { _, responder in responder.respond(json) }
        router.add("GET", "/public/docs/public-ips.txt") { _, responder in responder.respond(text) }
    }

    /// `{"API": [...]}` with a comma after every entry, the last one too, as Docplanner documents it.
    static func jsonDocument(_ addresses: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let entries = addresses.map { address in
            let quoted = (try? encoder.encode(address)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
            return "    \(quoted),\n"
        }
        return "{\n  \"API\": [\n\(entries.joined())  ]\n}\n"
    }
}
