import DocplannerAPI
import Foundation

/// Checks a JSON request body field by field (presence, type, enum, dates), collecting
/// every problem under its field path (`slots[1].end`) the way Docplanner reports them:
/// `400 {"message": "Invalid arguments", "errors": {"field": ["problem"]}}`.
///
/// Strict (the default of the API) reads a body as a validator of the document's request
/// schema would (integrations-api.yml, `components.schemas.*Request`): a member the schema
/// does not declare is refused, a value must have the declared `type` (an id declared
/// `type: string` sent as a number is refused), and `null` is accepted only where the schema
/// says `nullable: true`. Lenient (`SimulatorConfiguration.lenient`, and the admin API) takes
/// integer ids, treats `null` as absent and ignores unknown members.
final class BodyValidation {
    private(set) var errors: [String: [String]] = [:]
    /// Validate as a schema validator would; false: the lenient reading.
    let strict: Bool

    init(strict: Bool = false) { self.strict = strict }

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
    static let notNull = "This value should not be null."
    static let unexpected = "This field was not expected."
    static let notADate =
        "This value is not a valid datetime (ISO 8601 with an offset, e.g. 2020-12-01T00:00:00+01:00)."
    static let notAChoice = "The value you selected is not a valid choice."
    static func type(_ name: String) -> String { "This value should be of type \(name)." }
}

/// The members of one JSON object, read through a `BodyValidation`. Every reader takes
/// `nullable:` as the schema declares it: strict validation refuses `null` elsewhere.
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

    var strict: Bool { validation.strict }

    /// Present and not null.
    func has(_ key: String) -> Bool {
        guard let value = members[key] else { return false }
        return value != .null
    }

    /// Present and explicitly null (a nullable field being cleared).
    func isNull(_ key: String) -> Bool { members[key] == .null }

    /// Refuses (strictly) every member not in `declared`: the schema's `properties`
    /// (a validator with `additionalProperties: false`, the stricter reading).
    func only(_ declared: Set<String>) {
        guard strict else { return }
        for key in members.keys.sorted() where !declared.contains(key) {
            validation.add(field(key), BodyValidation.unexpected)
        }
    }

    /// The member `key` unless absent or null; a strict null where the schema does not say
    /// `nullable: true` is a problem (blank when required).
    private func value(_ key: String, required: Bool, nullable: Bool) -> JSONValue? {
        guard let value = members[key] else {
            if required { validation.add(field(key), BodyValidation.blank) }
            return nil
        }
        guard value != .null else {
            if required {
                validation.add(field(key), BodyValidation.blank)
            } else if strict && !nullable {
                validation.add(field(key), BodyValidation.notNull)
            }
            return nil
        }
        return value
    }

    /// A string. `allowInteger` (lenient only) takes a number for it, as the document's
    /// sloppier examples send (`phone: 48123123123`).
    func string(_ key: String, required: Bool = false, nullable: Bool = false, allowInteger: Bool = false) -> String? {
        guard let value = value(key, required: required, nullable: nullable) else { return nil }
        switch value {
        case .string(let text):
            if required && text.isEmpty { validation.add(field(key), BodyValidation.blank) }
            return text
        case .int(let number) where allowInteger && !strict:
            return String(number)
        default:
            validation.add(field(key), BodyValidation.type("string"))
            return nil
        }
    }

    /// An id: the document declares every id `type: string` ("IDs are now strings instead of
    /// integers", changelog 1.0.1); lenient also takes an integer.
    func id(_ key: String, required: Bool = false, nullable: Bool = false) -> String? {
        string(key, required: required, nullable: nullable, allowInteger: true)
    }

    func int(_ key: String, required: Bool = false, nullable: Bool = false, minimum: Int? = nil) -> Int? {
        guard let value = value(key, required: required, nullable: nullable) else { return nil }
        guard case .int(let number) = value else {
            validation.add(field(key), BodyValidation.type("integer"))
            return nil
        }
        if let minimum, number < minimum {
            validation.add(field(key), "This value should be greater than or equal to \(minimum).")
        }
        return Int(number)
    }

    func bool(_ key: String, nullable: Bool = false) -> Bool? {
        guard let value = value(key, required: false, nullable: nullable) else { return nil }
        guard case .bool(let flag) = value else {
            validation.add(field(key), BodyValidation.type("boolean"))
            return nil
        }
        return flag
    }

    /// A number (integer or decimal).
    func number(_ key: String, nullable: Bool = false) -> Double? {
        guard let value = value(key, required: false, nullable: nullable) else { return nil }
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default:
            validation.add(field(key), BodyValidation.type("number"))
            return nil
        }
    }

    /// An ISO 8601 date-time with an offset: the instant and the text as sent.
    func dateTime(_ key: String, required: Bool = false, nullable: Bool = false) -> (date: Date, text: String)? {
        guard let text = string(key, required: required, nullable: nullable) else { return nil }
        guard let date = DocplannerDateTime.parse(text) else {
            validation.add(field(key), BodyValidation.notADate)
            return nil
        }
        return (date, text)
    }

    func choice(_ key: String, _ allowed: [String], required: Bool = false, nullable: Bool = false) -> String? {
        guard let text = string(key, required: required, nullable: nullable) else { return nil }
        guard allowed.contains(text) else {
            validation.add(field(key), BodyValidation.notAChoice + " Allowed: \(allowed.joined(separator: ", ")).")
            return nil
        }
        return text
    }

    func object(_ key: String, required: Bool = false, nullable: Bool = false) -> BodyFields? {
        guard let value = value(key, required: required, nullable: nullable) else { return nil }
        guard case .object(let members) = value else {
            validation.add(field(key), BodyValidation.type("object"))
            return nil
        }
        return BodyFields(members.dictionary, path: field(key), validation: validation)
    }

    /// An array; nil when absent or null.
    func array(_ key: String, required: Bool = false, nullable: Bool = false) -> [JSONValue]? {
        guard let value = value(key, required: required, nullable: nullable) else { return nil }
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
        return BodyFields(members.dictionary, path: "\(field(key))[\(index)]", validation: validation)
    }
}
