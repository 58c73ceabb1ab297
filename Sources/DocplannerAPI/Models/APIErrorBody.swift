import Foundation

/// Docplanner's error body (schema `Error`, `application/vnd.error+docplanner+json`):
/// `{"message": "...", "errors": ...}`, where `errors` is an array in some answers and an
/// object keyed by field in others (`{"slots[1].end": ["End date should be ..."]}`).
package struct APIErrorBody: Codable, Sendable, Equatable {
    package var message: String?
    /// `errors` given as an array.
    package var errors: [String]
    /// `errors` given as an object keyed by field.
    package var fieldErrors: [String: [String]]

    package init(message: String? = nil, errors: [String] = [], fieldErrors: [String: [String]] = [:]) {
        self.message = message
        self.errors = errors
        self.fieldErrors = fieldErrors
    }

    enum CodingKeys: String, CodingKey {
        case message, errors
    }

    /// The OAuth2 error shape (RFC 6749), which the token endpoint uses.
    enum OAuthKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        message = container.lenientString(.message)
        if message == nil {
            let oauth = try decoder.container(keyedBy: OAuthKeys.self)
            message = oauth.lenientString(.errorDescription) ?? oauth.lenientString(.error)
        }
        errors = []
        fieldErrors = [:]
        guard let raw: JSONValue = container.lenient(.errors) else { return }
        switch raw {
        case .array(let values):
            errors = values.map(Self.text)
        case .object(let members):
            for (field, value) in members {
                if case .array(let values) = value {
                    fieldErrors[field] = values.map(Self.text)
                } else {
                    fieldErrors[field] = [Self.text(value)]
                }
            }
        default:
            errors = [Self.text(raw)]
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(message, forKey: .message)
        if fieldErrors.isEmpty {
            try container.encode(errors, forKey: .errors)
        } else {
            try container.encode(fieldErrors, forKey: .errors)
        }
    }

    /// The body parsed leniently from `data`; nil when it is not a JSON object.
    package static func parse(_ data: Data) -> APIErrorBody? {
        try? JSONDecoder().decode(APIErrorBody.self, from: data)
    }

    /// `message (field: problem; other: problem)` on one line.
    package var summary: String {
        var details = errors
        for field in fieldErrors.keys.sorted() {
            details.append("\(field): \(fieldErrors[field]!.joined(separator: ", "))")
        }
        let text = [message ?? "", details.isEmpty ? "" : "(\(details.joined(separator: "; ")))"]
            .filter { !$0.isEmpty }.joined(separator: " ")
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }
}
