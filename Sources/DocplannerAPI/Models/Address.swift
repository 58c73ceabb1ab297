import Foundation

/// A doctor's address (where the calendar lives).
package struct Address: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var name: String?
    package var cityName: String?
    package var postCode: String?
    package var street: String?
    /// With `address.online_only`.
    package var isOnlineOnly: Bool?
    /// With `address.visit_payment`.
    package var visitPayment: Bool?
    package var bookingExtraFields: BookingExtraFields?
    /// `premium`, `saas-only` or `basic` (with `address.commercial_type`).
    package var commercialType: String?
    /// `private`, `insurance` or `private_and_insurance`.
    package var insuranceSupport: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case cityName = "city_name"
        case postCode = "post_code"
        case street
        case isOnlineOnly = "is_online_only"
        case visitPayment = "visit_payment"
        case bookingExtraFields = "booking_extra_fields"
        case commercialType = "commercial_type"
        case insuranceSupport = "insurance_support"
    }

    package init(
        id: String? = nil, name: String? = nil, cityName: String? = nil, postCode: String? = nil,
        street: String? = nil, isOnlineOnly: Bool? = nil, visitPayment: Bool? = nil,
        bookingExtraFields: BookingExtraFields? = nil, commercialType: String? = nil,
        insuranceSupport: String? = nil
    ) {
        self.id = id
        self.name = name
        self.cityName = cityName
        self.postCode = postCode
        self.street = street
        self.isOnlineOnly = isOnlineOnly
        self.visitPayment = visitPayment
        self.bookingExtraFields = bookingExtraFields
        self.commercialType = commercialType
        self.insuranceSupport = insuranceSupport
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        name = container.lenientString(.name)
        cityName = container.lenientString(.cityName)
        postCode = container.lenientString(.postCode)
        street = container.lenientString(.street)
        isOnlineOnly = container.lenientBool(.isOnlineOnly)
        visitPayment = container.lenientBool(.visitPayment)
        bookingExtraFields = container.lenient(.bookingExtraFields)
        commercialType = container.lenientString(.commercialType)
        insuranceSupport = container.lenientString(.insuranceSupport)
    }
}
