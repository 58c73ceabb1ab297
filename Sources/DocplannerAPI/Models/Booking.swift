import Foundation

/// A booking (visit) as the API returns it.
package struct Booking: Codable, Sendable, Equatable {
    package var id: String?
    /// `booked`, `canceled`, …
    package var status: String?
    package var startAt: DocplannerDateTime?
    package var endAt: DocplannerDateTime?
    /// Minutes.
    package var duration: Int?
    /// `user`, `doctor` or `integration`.
    package var bookedBy: String?
    /// `""` when not cancelled.
    package var canceledBy: String?
    package var bookedAt: DocplannerDateTime?
    package var canceledAt: DocplannerDateTime?
    /// With `booking.moving`.
    package var moving: BookingMoving?
    package var patient: Patient?
    package var addressService: AddressService?
    package var comment: String?
    /// Lowercase here (`present`/`absent`).
    package var presence: PatientPresence?
    package var insurance: Insurance?
    package var visitPayment: Bool?
    package var visitPaymentStatus: String?
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
        case moving
        case patient
        case addressService = "address_service"
        case comment
        case presence
        case insurance
        case visitPayment = "visit_payment"
        case visitPaymentStatus = "visit_payment_status"
        case videocallURL = "videocall_url"
    }

    package init(
        id: String? = nil, status: String? = nil, startAt: DocplannerDateTime? = nil,
        endAt: DocplannerDateTime? = nil, duration: Int? = nil, bookedBy: String? = nil,
        canceledBy: String? = nil, bookedAt: DocplannerDateTime? = nil,
        canceledAt: DocplannerDateTime? = nil, moving: BookingMoving? = nil,
        patient: Patient? = nil, addressService: AddressService? = nil, comment: String? = nil,
        presence: PatientPresence? = nil, insurance: Insurance? = nil, visitPayment: Bool? = nil,
        visitPaymentStatus: String? = nil, videocallURL: String? = nil
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
        self.moving = moving
        self.patient = patient
        self.addressService = addressService
        self.comment = comment
        self.presence = presence
        self.insurance = insurance
        self.visitPayment = visitPayment
        self.visitPaymentStatus = visitPaymentStatus
        self.videocallURL = videocallURL
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenientString(.id)
        status = container.lenientString(.status)
        startAt = container.lenient(.startAt)
        endAt = container.lenient(.endAt)
        duration = container.lenientInt(.duration)
        bookedBy = container.lenientString(.bookedBy)
        canceledBy = container.lenientString(.canceledBy)
        bookedAt = container.lenient(.bookedAt)
        canceledAt = container.lenient(.canceledAt)
        moving = container.lenient(.moving)
        patient = container.lenient(.patient)
        addressService = container.lenient(.addressService)
        comment = container.lenientString(.comment)
        presence = container.lenient(.presence)
        insurance = container.lenient(.insurance)
        visitPayment = container.lenientBool(.visitPayment)
        visitPaymentStatus = container.lenientString(.visitPaymentStatus)
        videocallURL = container.lenientString(.videocallURL)
    }
}
