import Foundation

/// Hides patients' data in a stored body shown to an operator: every value inside a
/// `patient` object (name, phone, e-mail, birth date, national id, insurance number, …)
/// and every `comment` become `"<redacted>"`, whatever the nesting. Bodies that are not
/// JSON are withheld whole. An operator who needs the data asks for it explicitly.
enum PatientRedaction {
    static let marker = "<redacted>"
    static let redactedKeys: Set<String> = [
        "patient", "comment", "patient_name", "patient_surname", "patient_email",
        "patient_phone",
    ]

    /// `text` with patient fields redacted.
    static func redact(_ text: String) -> String {
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return text.isEmpty ? text : "\(marker) (not JSON: \(text.utf8.count) bytes withheld)" }
        let redacted = redact(object, inside: false)
        guard
            let out = try? JSONSerialization.data(withJSONObject: redacted, options: [.sortedKeys, .fragmentsAllowed])
        else { return marker }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` (a job's reason, shown on the status page) with each patient value of
    /// `payload` (what `redact` hides there) that occurs in it replaced by the marker.
    static func masking(_ text: String, patientValuesOf payload: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed]) else {
            return text
        }
        var values: Set<String> = []
        collect(object, inside: false, into: &values)
        var result = text
        // Longer first, so that a value inside another is not unmasked in part.
        for value in values.sorted(by: { $0.count > $1.count }) where value.count >= 3 {
            result = result.replacingOccurrences(of: value, with: marker, options: [.caseInsensitive])
        }
        return result
    }

    private static func collect(_ value: Any, inside: Bool, into values: inout Set<String>) {
        switch value {
        case let object as [String: Any]:
            for (key, member) in object { collect(member, inside: inside || redactedKeys.contains(key), into: &values) }
        case let array as [Any]:
            for member in array { collect(member, inside: inside, into: &values) }
        case let text as String where inside:
            values.insert(text.trimmingCharacters(in: .whitespaces))
        case let number as NSNumber where inside:
            values.insert(number.stringValue)
        default:
            break
        }
    }

    private static func redact(_ value: Any, inside: Bool) -> Any {
        switch value {
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            for (key, member) in object {
                result[key] = redact(member, inside: inside || redactedKeys.contains(key))
            }
            return result
        case let array as [Any]:
            return array.map { redact($0, inside: inside) }
        case is NSNull:
            return value
        default:
            return inside ? marker : value
        }
    }
}
