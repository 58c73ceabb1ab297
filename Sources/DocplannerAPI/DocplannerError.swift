import Curl
import Foundation

/// What went wrong talking to Docplanner, and so what to do about it (`disposition`).
/// `request` is the method and path, e.g. `PUT /facilities/1/doctors/2/addresses/3/slots`.
package enum DocplannerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete answer arrived (connect, TLS, timeout, broken connection). Retry later.
    case transport(request: String, CurlError)
    /// Docplanner answered 5xx. Retry later.
    case serverError(request: String, status: Int, body: APIErrorBody?)
    /// 429: over the rate limit (or a duplicate `replaceSlots` still processing). Retry after
    /// `retryAfter` seconds when known (from `Retry-After` or `X-RateLimit-Reset`).
    case rateLimited(request: String, retryAfter: Double?)
    /// 401 even with a freshly fetched token. Re-authenticate (check the credentials).
    case unauthorized(request: String, body: APIErrorBody?)
    /// The token endpoint refused the client credentials (4xx other than 429).
    case authenticationFailed(status: Int, body: APIErrorBody?)
    /// 400: the request failed validation. Permanent.
    case badRequest(request: String, body: APIErrorBody)
    /// 403: not authorized for that facility/doctor/address, or calendar edition not allowed.
    case forbidden(request: String, body: APIErrorBody)
    /// 404: no such resource (also: no slots in range, empty notification queue, missing slot).
    case notFound(request: String, body: APIErrorBody)
    /// 409: conflict or duplicate (already enabled/confirmed, visit already moved or deleted).
    case conflict(request: String, body: APIErrorBody)
    /// 422: cannot be processed (not commercial, invalid range, payment accounts).
    case unprocessable(request: String, body: APIErrorBody)
    /// Another 4xx status. Permanent.
    case rejected(request: String, status: Int, body: APIErrorBody)
    /// A 2xx answer whose body could not be read as the expected JSON.
    case undecodable(what: String, reason: String)
    /// The call was given an argument Docplanner cannot accept (checked before sending).
    case invalidArgument(String)

    /// What the caller should do.
    package enum Disposition: Sendable, Equatable {
        /// Try again later (with backoff).
        case retry
        /// Try again after this many seconds (nil: unknown, use backoff).
        case retryAfter(Double?)
        /// Fetch a new token (or fix the credentials) before trying again.
        case reauthenticate
        /// Trying again will not help; record the failure.
        case permanent
    }

    package var disposition: Disposition {
        switch self {
        case .transport(_, let error): error.isRetryable ? .retry : .permanent
        case .serverError: .retry
        case .rateLimited(_, let seconds): .retryAfter(seconds)
        case .unauthorized, .authenticationFailed: .reauthenticate
        case .badRequest, .forbidden, .notFound, .conflict, .unprocessable, .rejected,
            .undecodable, .invalidArgument:
            .permanent
        }
    }

    /// Whether trying again (after a delay) may succeed.
    package var isRetryable: Bool {
        switch disposition {
        case .retry, .retryAfter: true
        case .reauthenticate, .permanent: false
        }
    }

    /// The HTTP status, when Docplanner answered.
    package var status: Int? {
        switch self {
        case .serverError(_, let status, _), .rejected(_, let status, _), .authenticationFailed(let status, _):
            status
        case .rateLimited: 429
        case .unauthorized: 401
        case .badRequest: 400
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .unprocessable: 422
        case .transport, .undecodable, .invalidArgument: nil
        }
    }

    /// Docplanner's error body, when it sent one.
    package var body: APIErrorBody? {
        switch self {
        case .serverError(_, _, let body), .unauthorized(_, let body), .authenticationFailed(_, let body):
            body
        case .badRequest(_, let body), .forbidden(_, let body), .notFound(_, let body),
            .conflict(_, let body), .unprocessable(_, let body), .rejected(_, _, let body):
            body
        case .transport, .rateLimited, .undecodable, .invalidArgument:
            nil
        }
    }

    package var description: String {
        func said(_ body: APIErrorBody?) -> String {
            guard let summary = body?.summary, !summary.isEmpty else { return "" }
            return ": \(summary)"
        }
        switch self {
        case .transport(let request, let error):
            return "\(request) failed before Docplanner answered (\(error)); will retry"
        case .serverError(let request, let status, let body):
            return "\(request): Docplanner server error \(status)\(said(body)); will retry"
        case .rateLimited(let request, let seconds):
            let when = seconds.map { "in \(Int($0.rounded(.up))) s" } ?? "later"
            return "\(request): Docplanner rate limit reached (429); retry \(when)"
        case .unauthorized(let request, let body):
            return "\(request): Docplanner refused the access token (401)\(said(body)); check the client credentials"
        case .authenticationFailed(let status, let body):
            return
                "Docplanner's token endpoint refused the client credentials (\(status))\(said(body)); check client_id and client_secret"
        case .badRequest(let request, let body):
            return "\(request): Docplanner rejected the request as invalid (400)\(said(body))"
        case .forbidden(let request, let body):
            return "\(request): not authorized by Docplanner (403)\(said(body))"
        case .notFound(let request, let body):
            return "\(request): not found at Docplanner (404)\(said(body))"
        case .conflict(let request, let body):
            return "\(request): conflicts with Docplanner's state (409)\(said(body))"
        case .unprocessable(let request, let body):
            return "\(request): Docplanner cannot process it (422)\(said(body))"
        case .rejected(let request, let status, let body):
            return "\(request): Docplanner answered \(status)\(said(body))"
        case .undecodable(let what, let reason):
            return "cannot read Docplanner's \(what): \(reason)"
        case .invalidArgument(let reason):
            return "invalid argument: \(reason)"
        }
    }

    /// A one-line account of a decoding error.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
                .joined(separator: ".")
            return text.isEmpty ? "top level" : text
        }
        switch decoding {
        case .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
