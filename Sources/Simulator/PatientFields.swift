import DocplannerAPI

/// The `patient` of BookSlotRequest, checked: `name` and `phone` are required; `gender` is
/// `m` or `f`; `birth_date` is `YYYY-MM-DD`.
enum PatientFields {
    static func read(_ fields: BodyFields?) -> Patient? {
        guard let fields else { return nil }
        let patient = Patient(
            name: fields.string("name", required: true),
            surname: fields.string("surname"),
            email: fields.string("email"),
            phone: fields.string("phone", required: true, allowInteger: true),
            birthDate: fields.string("birth_date"),
            nin: fields.string("nin", allowInteger: true),
            gender: fields.choice("gender", ["m", "f"]),
            insuranceNumber: fields.string("insurance_number"),
            marketingConsent: fields.bool("marketing_consent"),
            dataPrivacyConsent: fields.bool("data_privacy_consent"))
        if let birthDate = patient.birthDate, !isDay(birthDate) {
            fields.validation.add(fields.field("birth_date"), "This value is not a valid date (YYYY-MM-DD).")
        }
        return patient
    }

    static func isDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (48...57).contains(byte)
        }
    }
}
