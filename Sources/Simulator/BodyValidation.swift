import DocplannerAPI
import Foundation

/// Checks a JSON request body field by field (presence, type, enum, dates), collecting
/// every problem under its field path (`slots[1].end`) the way Docplanner reports them:
/// `400 {"message": "Invalid arguments", "errors": {"field": ["problem"]}}`.
final class BodyValidation {
    private(set) var errors: [String: [String]] = [:]

    func add(_ field: String, _ problem: String) { errors[field, default: []].append(problem) }

    /// The 400 answer when anything failed.
    var failure: HTTPResponseError? {
        errors.isEmpty ? nil : HTTPResponseError(APIReply.problem(400, APIReply.invalidArguments, fieldErrors: errors))
    }

    /// Throws the 400 answer when anything failed.
    func check() throws(HTTPResponseError) {
        if let failure { throw failure }
    }

    static let blank = "This value should not be blank."
    static let notADate = "This value is not a valid datetime (ISO 8601 with an offset, e.g. 2020-12-01T00:00:00+01:00)."
    static let notAChoice = "The value you selected is not a valid choice."
    static func type(_ name: String) -> String { "This value should be of type \(name)." }
}

/// The members of one JSON object, read through a `BodyValidation`.
struct BodyFields {
    let members: [String: JSONValue]
    let path: String
    let validation: BodyValidation

    init(_ object: [String: JSONValue], path: String = "", validation: BodyValidation) {
        self.members = object
        self.path = path
        self.validation = validation
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Present and not null.
    func has(_ key: String) -> Bool {
        guard let value = members[key] else { return false }
        return value != .null
    }

    /// A string; an id may also come as an integer (the document's examples send both).
    func string(_ key: String, required: Bool = false, allowInteger: Bool = false) -> String? {
        guard let value = members[key], value != .null else {
            if required { validation.add(field(key), BodyValidation.blank) }
            return nil
        }
        switch value {
        case .string(let text):
            if required && text.isEmpty { validation.add(field(key), BodyValidation.blank) }
            return text
        case .int(let number) where allowInteger:
            return String(number)
        default:
            validation.add(field(key), BodyValidation.type("string"))
            return nil
        }
    }

    /// An id: a non-empty string or an integer.
    func id(_ key: String, required: Bool = false) -> String? {
        string(key, required: required, allowInteger: true)
    }

    func int(_ key: String, required: Bool = false, minimum: Int? = nil) -> Int? {
        guard let value = members[key], value != .null else {
            if required { validation.add(field(key), BodyValidation.blank) }
            return nil
        }
        guard case .int(let number) = value else {
            validation.add(field(key), BodyValidation.type("integer"))
            return nil
        }
        if let minimum, number < minimum {
            validation.add(field(key), "This value should be greater than or equal to \(minimum).")
        }
        return Int(number)
    }

    func bool(_ key: String) -> Bool? {
        guard let value = members[key], value != .null else { return nil }
        guard case .bool(let flag) = value else {
            validation.add(field(key), BodyValidation.type("boolean"))
            return nil
        }
        return flag
    }

    /// A number (integer or decimal).
    func number(_ key: String) -> Double? {
        guard let value = members[key], value != .null else { return nil }
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default:
            validation.add(field(key), BodyValidation.type("number"))
            return nil
        }
    }

    /// An ISO 8601 date-time with an offset: the instant and the text as sent.
    func dateTime(_ key: String, required: Bool = false) -> (date: Date, text: String)? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = DocplannerDateTime.parse(text) else {
            validation.add(field(key), BodyValidation.notADate)
            return nil
        }
        return (date, text)
    }

    func choice(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard allowed.contains(text) else {
            validation.add(field(key), BodyValidation.notAChoice + " Allowed: \(allowed.joined(separator: ", ")).")
            return nil
        }
        return text
    }

    func object(_ key: String, required: Bool = false) -> BodyFields? {
        guard let value = members[key], value != .null else {
            if required { validation.add(field(key), BodyValidation.blank) }
            return nil
        }
        guard case .object(let members) = value else {
            validation.add(field(key), BodyValidation.type("object"))
            return nil
        }
        return BodyFields(members, path: field(key), validation: validation)
    }

    /// An array; nil when absent or null.
    func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let value = members[key], value != .null else {
            if required { validation.add(field(key), BodyValidation.blank) }
            return nil
        }
        guard case .array(let elements) = value else {
            validation.add(field(key), BodyValidation.type("array"))
            return nil
        }
        return elements
    }

    /// The object at `index` of an array field, named `key[index]`.
    func element(_ value: JSONValue, of key: String, at index: Int) -> BodyFields? {
        guard case .object(let members) = value else {
            validation.add("\(field(key))[\(index)]", BodyValidation.type("object"))
            return nil
        }
        return BodyFields(members, path: "\(field(key))[\(index)]", validation: validation)
    }
}
