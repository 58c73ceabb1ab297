import DocplannerAPI

/// The `patient` of BookSlotRequest, checked against the document's `Patient` schema
/// (integrations-api.yml `components.schemas.Patient`): `name` and `phone` are required;
/// `email`, `phone`, `birth_date`, `nin`, `gender` and the consents are nullable; `gender`
/// is `m` or `f`; `birth_date` is `YYYY-MM-DD`. Strictly, members the schema does not declare
/// (`is_returning` and `insurance_number` are declared only on `BookingPatient`, the answer)
/// are refused; lenient reads `insurance_number`.
enum PatientFields {
    static let members: Set<String> = [
        "name", "surname", "email", "phone", "birth_date", "nin", "gender", "marketing_consent", "data_privacy_consent",
    ]

    static func read(_ fields: BodyFields?) -> Patient? {
        guard let fields else { return nil }
        fields.only(members)
        let patient = Patient(
            name: fields.string("name", required: true),
            surname: fields.string("surname"),
            email: fields.string("email", nullable: true),
            phone: fields.string("phone", required: true, nullable: true, allowInteger: true),
            birthDate: fields.string("birth_date", nullable: true),
            nin: fields.string("nin", nullable: true, allowInteger: true),
            gender: fields.choice("gender", ["m", "f"], nullable: true),
            insuranceNumber: fields.strict ? nil : fields.string("insurance_number"),
            marketingConsent: fields.bool("marketing_consent", nullable: true),
            dataPrivacyConsent: fields.bool("data_privacy_consent", nullable: true))
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
