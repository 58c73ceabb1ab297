import Foundation

/// Hides patients' data in a stored body shown to an operator: every value inside a
/// `patient` object (name, phone, e-mail, birth date, national id, insurance number, …)
/// and every `comment` become `"<redacted>"`, whatever the nesting. Bodies that are not
/// JSON are withheld whole. An operator who needs the data asks for it explicitly.
enum PatientRedaction {
    static let marker = "<redacted>"
    static let redactedKeys: Set<String> = ["patient", "comment", "patient_name", "patient_surname", "patient_email",
        "patient_phone"]

    /// `text` with patient fields redacted.
    static func redact(_ text: String) -> String {
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return text.isEmpty ? text : "\(marker) (not JSON: \(text.utf8.count) bytes withheld)" }
        let redacted = redact(object, inside: false)
        guard let out = try? JSONSerialization.data(withJSONObject: redacted, options: [.sortedKeys, .fragmentsAllowed])
        else { return marker }
        return String(decoding: out, as: UTF8.self)
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
