import Foundation

/// The `data` of `booking-payment-status-changed`.
package struct BookingPaymentStatusChangedData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var visitBooking: NotificationBooking?
    package var visitPaymentStatus: VisitPaymentStatusChange?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBooking = "visit_booking"
        case visitPaymentStatus = "visit_payment_status"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBooking: NotificationBooking? = nil,
        visitPaymentStatus: VisitPaymentStatusChange? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBooking = visitBooking
        self.visitPaymentStatus = visitPaymentStatus
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBooking = container.lenient(.visitBooking)
        visitPaymentStatus = container.lenient(.visitPaymentStatus)
    }
}
