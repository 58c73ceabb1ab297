import Foundation

/// The `data` of `booking-payment-status-changed`.
public struct BookingPaymentStatusChangedData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var visitBooking: NotificationBooking?
    public var visitPaymentStatus: VisitPaymentStatusChange?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBooking = "visit_booking"
        case visitPaymentStatus = "visit_payment_status"
    }

    public init(
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBooking = container.lenient(.visitBooking)
        visitPaymentStatus = container.lenient(.visitPaymentStatus)
    }
}
