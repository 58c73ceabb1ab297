import DocplannerAPI
import Foundation
import HTTP1

/// Answers in Docplanner's media types: `application/vnd.docplanner+json` for resources,
/// `application/vnd.error+docplanner+json` with `{"message", "errors"}` for errors.
enum APIReply {
    static let resourceType = "application/vnd.docplanner+json; charset=UTF-8"
    static let errorType = "application/vnd.error+docplanner+json"

    /// `value` as JSON with 200.
    static func json(_ value: some Encodable, headers: HTTPHeaders = []) -> HTTPResponse {
        json(200, value, headers: headers)
    }

    /// `value` as JSON with `status`.
    static func json(_ status: Int, _ value: some Encodable, headers: HTTPHeaders = []) -> HTTPResponse {
        var all = headers
        all.add("Content-Type", resourceType)
        return HTTPResponse(status: status, headers: all, body: encode(value))
    }

    /// A body-less answer (204, 201 of replaceSlots, 202).
    static func empty(_ status: Int, headers: HTTPHeaders = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    /// Docplanner's error body: `errors` is `[]` unless field errors are given.
    static func problem(_ status: Int, _ message: String, fieldErrors: [String: [String]] = [:]) -> HTTPResponse {
        let body = APIErrorBody(message: message, fieldErrors: fieldErrors)
        return HTTPResponse(status: status, headers: [("Content-Type", errorType)], body: encode(body))
    }

    /// The OAuth2 error shape (RFC 6749) of the token endpoint and of refused tokens.
    static func oauthError(_ status: Int, _ error: String, _ description: String) -> HTTPResponse {
        let body = ["error": error, "error_description": description]
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: encode(body))
    }

    /// Plain JSON for the admin API.
    static func admin(_ status: Int = 200, _ value: some Encodable) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: encode(value))
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("{}".utf8)
    }

    // The document's error messages (components.examples).
    /// `ObjectNotFound`.
    static let objectNotFound = "Object not found"
    /// `InvalidArgumentsError`.
    static let invalidArguments = "Invalid arguments"
    /// `NoSlotsOnAddress`.
    static let noSlots = "No slots found on given address"
    /// `NotificationNotFound`.
    static let noNotifications = "No notifications found"
    /// `CalendarNotFound` (getCalendar).
    static let calendarDoesNotExist = "Calendar does not exist"
    /// `CalendarNotFoundForAddress` (breaks).
    static let calendarNotFound = "Calendar not found for this address"
    /// `CalendarEditionNotAuthorized`.
    static let calendarEditionNotAuthorized = "You are not authorized to make changes on this calendar"
}
