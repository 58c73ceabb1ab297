import Foundation

/// A booking inside an event (schema `BookingNotification`). The `booking-moving` example
/// uses `canceling_by`/`canceling_at` instead of `canceled_by`/`canceled_at`: both are kept.
package struct NotificationBooking: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var id: String?
    package var status: String?
    package var startAt: DocplannerDateTime?
    package var endAt: DocplannerDateTime?
    package var duration: Int?
    package var bookedBy: String?
    /// `""` when not cancelled.
    package var canceledBy: String?
    package var bookedAt: DocplannerDateTime?
    package var canceledAt: DocplannerDateTime?
    package var cancelingBy: String?
    package var cancelingAt: DocplannerDateTime?
    package var addressService: AddressService?
    package var patient: Patient?
    package var signature: String?
    package var comment: String?
    package var insurance: Insurance?
    package var visitPayment: Bool?
    package var videocallURL: String?

    enum CodingKeys: String, CodingKey {
        case id
        case status
        case startAt = "start_at"
        case endAt = "end_at"
        case duration
        case bookedBy = "booked_by"
        case canceledBy = "canceled_by"
        case bookedAt = "booked_at"
        case canceledAt = "canceled_at"
        case cancelingBy = "canceling_by"
        case cancelingAt = "canceling_at"
        case addressService = "address_service"
        case patient
        case signature
        case comment
        case insurance
        case visitPayment = "visit_payment"
        case videocallURL = "videocall_url"
    }

    package init(
        id: String? = nil, status: String? = nil, startAt: DocplannerDateTime? = nil,
        endAt: DocplannerDateTime? = nil, duration: Int? = nil, bookedBy: String? = nil,
        canceledBy: String? = nil, bookedAt: DocplannerDateTime? = nil,
        canceledAt: DocplannerDateTime? = nil, cancelingBy: String? = nil,
        cancelingAt: DocplannerDateTime? = nil, addressService: AddressService? = nil,
        patient: Patient? = nil, signature: String? = nil, comment: String? = nil,
        insurance: Insurance? = nil, visitPayment: Bool? = nil, videocallURL: String? = nil
    ) {
        self.id = id
        self.status = status
        self.startAt = startAt
        self.endAt = endAt
        self.duration = duration
        self.bookedBy = bookedBy
        self.canceledBy = canceledBy
        self.bookedAt = bookedAt
        self.canceledAt = canceledAt
        self.cancelingBy = cancelingBy
        self.cancelingAt = cancelingAt
        self.addressService = addressService
        self.patient = patient
        self.signature = signature
        self.comment = comment
        self.insurance = insurance
        self.visitPayment = visitPayment
        self.videocallURL = videocallURL
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        id = container.lenientString(.id)
        status = container.lenientString(.status)
        startAt = container.lenient(.startAt)
        endAt = container.lenient(.endAt)
        duration = container.lenientInt(.duration)
        bookedBy = container.lenientString(.bookedBy)
        canceledBy = container.lenientString(.canceledBy)
        bookedAt = container.lenient(.bookedAt)
        canceledAt = container.lenient(.canceledAt)
        cancelingBy = container.lenientString(.cancelingBy)
        cancelingAt = container.lenient(.cancelingAt)
        addressService = container.lenient(.addressService)
        patient = container.lenient(.patient)
        signature = container.lenientString(.signature)
        comment = container.lenientString(.comment)
        insurance = container.lenient(.insurance)
        visitPayment = container.lenientBool(.visitPayment)
        videocallURL = container.lenientString(.videocallURL)
    }
}

extension NotificationBooking {
    /// Who cancelled (`canceled_by`, else `canceling_by`); nil when empty or absent.
    package var cancellingParty: String? {
        for value in [canceledBy, cancelingBy] {
            if let value, !value.isEmpty { return value }
        }
        return nil
    }
}
