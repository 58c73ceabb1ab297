import DocplannerAPI
import Foundation
import HTTP1

/// One API request as the route handlers see it: decoded path parameters and query,
/// the body, the simulated time, and the calendars' time zone.
struct APIRequest: Sendable {
    let method: String
    let path: String
    /// `:name` segments of the route, percent-decoded.
    let parameters: [String: String]
    let query: [(String, String)]
    let body: [UInt8]
    /// Seconds since 1970 on the simulator's clock.
    let now: Double
    let timeZone: TimeZone
    /// `SimulatorConfiguration.lenient`: bodies are read permissively.
    let lenient: Bool

    init(_ request: HTTPRequest, now: Double, timeZone: TimeZone, lenient: Bool = false) {
        method = request.method
        path = String(request.path)
        var parameters: [String: String] = [:]
        for (name, raw) in request.pathParameters {
            parameters[name] = PercentDecoding.decode(raw[...]) ?? raw
        }
        self.parameters = parameters
        query = PercentDecoding.query(request.query)
        body = request.body
        self.now = now
        self.timeZone = timeZone
        self.lenient = lenient
    }

    subscript(parameter name: String) -> String { parameters[name] ?? "" }

    /// The first value of query parameter `name`.
    func query(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// The `with=` scopes.
    var scopes: Set<String> {
        Set(query.filter { $0.0 == "with" }.flatMap { $0.1.split(separator: ",").map(String.init) })
    }

    var date: Date { Date(timeIntervalSince1970: now) }

    /// `date` as Docplanner writes it, in the calendars' time zone.
    func text(_ date: Date) -> DocplannerDateTime { DocplannerDateTime(date, timeZone: timeZone) }

    /// The body's members, read strictly unless the simulator is lenient (see `BodyValidation`).
    func fields(required: Bool = true) throws(HTTPResponseError) -> BodyFields {
        BodyFields(try jsonObject(required: required).get(), validation: BodyValidation(strict: !lenient))
    }

    /// The body as a JSON object, or a 400 answer saying why it is not one.
    func jsonObject(required: Bool = true) -> Result<[String: JSONValue], HTTPResponseError> {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if required {
                return .failure(HTTPResponseError(APIReply.problem(400, "Request body is required (a JSON object)")))
            }
            return .success([:])
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)), case .object(let object) = value
        else {
            return .failure(HTTPResponseError(APIReply.problem(400, "Request body is not a JSON object")))
        }
        return .success(object.dictionary)
    }
}

/// An answer that ends a handler early (a 4xx), thrown through `Result` and `throws`.
struct HTTPResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
