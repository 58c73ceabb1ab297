import Foundation

/// A patient: in bookings, in events, and in `bookSlot` requests (which need `name` and `phone`).
package struct Patient: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var name: String?
    package var surname: String?
    package var email: String?
    package var phone: String?
    /// `YYYY-MM-DD`.
    package var birthDate: String?
    /// National identification number.
    package var nin: String?
    /// `m` or `f`.
    package var gender: String?
    package var isReturning: Bool?
    package var insuranceNumber: String?
    package var marketingConsent: Bool?
    package var dataPrivacyConsent: Bool?

    enum CodingKeys: String, CodingKey {
        case name
        case surname
        case email
        case phone
        case birthDate = "birth_date"
        case nin
        case gender
        case isReturning = "is_returning"
        case insuranceNumber = "insurance_number"
        case marketingConsent = "marketing_consent"
        case dataPrivacyConsent = "data_privacy_consent"
    }

    package init(
        name: String? = nil, surname: String? = nil, email: String? = nil, phone: String? = nil,
        birthDate: String? = nil, nin: String? = nil, gender: String? = nil,
        isReturning: Bool? = nil, insuranceNumber: String? = nil, marketingConsent: Bool? = nil,
        dataPrivacyConsent: Bool? = nil
    ) {
        self.name = name
        self.surname = surname
        self.email = email
        self.phone = phone
        self.birthDate = birthDate
        self.nin = nin
        self.gender = gender
        self.isReturning = isReturning
        self.insuranceNumber = insuranceNumber
        self.marketingConsent = marketingConsent
        self.dataPrivacyConsent = dataPrivacyConsent
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        name = container.lenientString(.name)
        surname = container.lenientString(.surname)
        email = container.lenientString(.email)
        phone = container.lenientString(.phone)
        birthDate = container.lenientString(.birthDate)
        nin = container.lenientString(.nin)
        gender = container.lenientString(.gender)
        isReturning = container.lenientBool(.isReturning)
        insuranceNumber = container.lenientString(.insuranceNumber)
        marketingConsent = container.lenientBool(.marketingConsent)
        dataPrivacyConsent = container.lenientBool(.dataPrivacyConsent)
    }
}
