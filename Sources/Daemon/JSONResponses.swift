import DocplannerAPI
import Foundation
import HTTP1

/// Small JSON responses for the daemon's endpoints.
enum JSONResponses {
    static func object(status: Int, _ fields: [String: String]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: [UInt8](data))
    }

    static func error(status: Int, _ message: String) -> HTTPResponse {
        object(status: status, ["error": message])
    }

    static func encoded(status: Int, _ value: some Encodable) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: [UInt8](data))
    }

    /// A `JSONValue` (explicit nulls), keys sorted.
    static func json(status: Int, _ value: JSONValue) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: [UInt8](data))
    }
}
