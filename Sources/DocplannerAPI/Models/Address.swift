import Foundation

/// A doctor's address (where the calendar lives).
public struct Address: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var cityName: String?
    public var postCode: String?
    public var street: String?
    /// With `address.online_only`.
    public var isOnlineOnly: Bool?
    /// With `address.visit_payment`.
    public var visitPayment: Bool?
    public var bookingExtraFields: BookingExtraFields?
    /// `premium`, `saas-only` or `basic` (with `address.commercial_type`).
    public var commercialType: String?
    /// `private`, `insurance` or `private_and_insurance`.
    public var insuranceSupport: String?

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

    public init(
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
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
