import Foundation

/// Takes one patient out of a stored JSON document (a Docplanner event in the inbox) and
/// leaves the rest, so the event can still be applied: every object that holds the
/// patient's phone or e-mail under a `phone`/`email` key (Docplanner's `patient`) is
/// removed with the `comment` beside it (the patient's words), and any other string in
/// which the phone or address occurs is emptied. A document that is not JSON has each
/// occurrence replaced by `[erased]`.
enum PayloadRedactor {
    /// The payload without the patient, or nil when the patient does not occur in it.
    static func redact(_ payload: [UInt8], _ matcher: PatientMatcher) -> [UInt8]? {
        guard matcher.occurs(in: payload) else { return nil }
        if let document = try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: scrub(document, matcher), options: [.fragmentsAllowed, .withoutEscapingSlashes])
        {
            let cleaned = [UInt8](data)
            return matcher.occurs(in: cleaned) ? matcher.masked(cleaned) : cleaned
        }
        return matcher.masked(payload)
    }

    private static func scrub(_ value: Any, _ matcher: PatientMatcher) -> Any {
        switch value {
        case let object as [String: Any]:
            if isPatient(object, matcher) {
                return object.mapValues { $0 is String ? "" : $0 }
            }
            var result: [String: Any] = [:]
            var heldPatient = false
            for (key, child) in object {
                if let nested = child as? [String: Any], isPatient(nested, matcher) {
                    heldPatient = true
                } else {
                    result[key] = scrub(child, matcher)
                }
            }
            if heldPatient { result.removeValue(forKey: "comment") }
            return result
        case let array as [Any]:
            return array.compactMap { element -> Any? in
                if let nested = element as? [String: Any], isPatient(nested, matcher) { return nil }
                return scrub(element, matcher)
            }
        case let text as String:
            return matcher.occurs(in: text) ? "" : text
        default:
            return value
        }
    }

    /// An object that names the patient: their phone or address under a key about phones or e-mail.
    private static func isPatient(_ object: [String: Any], _ matcher: PatientMatcher) -> Bool {
        object.contains { key, value in
            let name = key.lowercased()
            guard name.contains("phone") || name.contains("mail"), let text = value as? String else { return false }
            return matcher.occurs(in: text)
        }
    }
}
