import Foundation

/// A booking about to be made (schema `VisitBookingRequestNotification`): the
/// `visit_booking_request` of `slot-booking` and the `creating_booking` of `booking-moving`.
package struct VisitBookingRequest: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var bookingAt: DocplannerDateTime?
    package var bookingBy: String?
    package var duration: Int?
    package var startAt: DocplannerDateTime?
    package var endAt: DocplannerDateTime?
    package var addressService: AddressService?
    package var patient: Patient?
    package var signature: String?
    package var comment: String?
    package var visitPayment: Bool?

    enum CodingKeys: String, CodingKey {
        case bookingAt = "booking_at"
        case bookingBy = "booking_by"
        case duration
        case startAt = "start_at"
        case endAt = "end_at"
        case addressService = "address_service"
        case patient
        case signature
        case comment
        case visitPayment = "visit_payment"
    }

    package init(
        bookingAt: DocplannerDateTime? = nil, bookingBy: String? = nil, duration: Int? = nil,
        startAt: DocplannerDateTime? = nil, endAt: DocplannerDateTime? = nil,
        addressService: AddressService? = nil, patient: Patient? = nil, signature: String? = nil,
        comment: String? = nil, visitPayment: Bool? = nil
    ) {
        self.bookingAt = bookingAt
        self.bookingBy = bookingBy
        self.duration = duration
        self.startAt = startAt
        self.endAt = endAt
        self.addressService = addressService
        self.patient = patient
        self.signature = signature
        self.comment = comment
        self.visitPayment = visitPayment
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        bookingAt = container.lenient(.bookingAt)
        bookingBy = container.lenientString(.bookingBy)
        duration = container.lenientInt(.duration)
        startAt = container.lenient(.startAt)
        endAt = container.lenient(.endAt)
        addressService = container.lenient(.addressService)
        patient = container.lenient(.patient)
        signature = container.lenientString(.signature)
        comment = container.lenientString(.comment)
        visitPayment = container.lenientBool(.visitPayment)
    }
}
