import DocplannerAPI
import Foundation
import Partner

/// A request body that cannot be used, naming the field (`patient.phone`) and what is wrong.
struct FieldError: Error, Equatable, CustomStringConvertible {
    let field: String
    let problem: String
    var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}

/// Reads and checks the fields of one JSON object of a `/v1` body. Every problem is a
/// `FieldError` naming the field by its path; unknown fields are refused, so a typo is
/// never silently ignored.
struct JSONFields {
    let fields: JSONObject
    /// The path of this object within the body (`patient.`), for error messages.
    let path: String

    /// The body as a JSON object.
    static func parse(_ body: [UInt8]) throws(FieldError) -> JSONFields {
        guard !body.isEmpty else { throw FieldError(field: "", problem: "the body must be a JSON object") }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            throw FieldError(field: "", problem: "the body must be a JSON object")
        }
        return JSONFields(fields: object, path: "")
    }

    func name(_ key: String) -> String { path + key }

    func rejectUnknown(_ allowed: Set<String>) throws(FieldError) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw FieldError(field: name(unknown), problem: "unknown field")
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    /// A non-empty string (an integer is taken as its digits, as ids often come); nil when absent or null.
    func string(_ key: String) throws(FieldError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw FieldError(field: name(key), problem: "must not be empty") }
            return trimmed
        case .int(let number)?: return String(number)
        default: throw FieldError(field: name(key), problem: "must be a string")
        }
    }

    func requiredString(_ key: String) throws(FieldError) -> String {
        guard let value = try string(key) else { throw FieldError(field: name(key), problem: "is required") }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(FieldError) -> Int? {
        switch fields[key] {
        case nil, .null?: return nil
        case .int(let number)? where range.contains(Int(clamping: number)): return Int(number)
        default:
            throw FieldError(
                field: name(key), problem: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    func requiredInt(_ key: String, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        guard let value = try int(key, in: range) else { throw FieldError(field: name(key), problem: "is required") }
        return value
    }

    func bool(_ key: String) throws(FieldError) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw FieldError(field: name(key), problem: "must be true or false")
        }
    }

    /// An ISO 8601 date-time with an offset (`2026-03-02T10:00:00+01:00` or `…Z`).
    func time(_ key: String) throws(FieldError) -> ClinicTime? {
        guard let text = try string(key) else { return nil }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return ClinicTime(text: text, date: date) }
        }
        throw FieldError(
            field: name(key), problem: "must be an ISO 8601 date-time with an offset, e.g. 2026-03-02T10:00:00+01:00")
    }

    func requiredTime(_ key: String) throws(FieldError) -> ClinicTime {
        guard let value = try time(key) else { throw FieldError(field: name(key), problem: "is required") }
        return value
    }

    /// `HH:MM` (00:00 to 24:00).
    func clock(_ key: String) throws(FieldError) -> String {
        let text = try requiredString(key)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
            let minute = Int(parts[1]),
            (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0)
        else { throw FieldError(field: name(key), problem: "must be a time of day HH:MM (00:00 to 24:00)") }
        return text
    }

    /// `YYYY-MM-DD`, a real date.
    func day(_ key: String) throws(FieldError) -> String? {
        guard let text = try string(key) else { return nil }
        guard Self.isDay(text) else { throw FieldError(field: name(key), problem: "must be a date YYYY-MM-DD") }
        return text
    }

    static func isDay(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard text.utf8.count == 10, let date = formatter.date(from: text) else { return false }
        return formatter.string(from: date) == text
    }

    func object(_ key: String) throws(FieldError) -> JSONFields? {
        switch fields[key] {
        case nil, .null?: return nil
        case .object(let object)?: return JSONFields(fields: object, path: name(key) + ".")
        default: throw FieldError(field: name(key), problem: "must be an object")
        }
    }

    /// The objects of array `key`; nil when absent.
    func objects(_ key: String) throws(FieldError) -> [JSONFields]? {
        switch fields[key] {
        case nil: return nil
        case .array(let items)?:
            var result: [JSONFields] = []
            for (index, item) in items.enumerated() {
                guard case .object(let object) = item else {
                    throw FieldError(field: "\(name(key))[\(index)]", problem: "must be an object")
                }
                result.append(JSONFields(fields: object, path: "\(name(key))[\(index)]."))
            }
            return result
        default: throw FieldError(field: name(key), problem: "must be an array")
        }
    }
}

extension JSONValue {
    /// A string, or null for nil.
    static func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
}
