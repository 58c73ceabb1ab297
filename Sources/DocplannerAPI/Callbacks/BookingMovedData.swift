import Foundation

/// The `data` of `booking-moved`: the old booking (now cancelled) and the new one.
public struct BookingMovedData: Codable, Sendable, Equatable {
    public var facility: Facility?
    public var doctor: Doctor?
    public var address: Address?
    public var oldVisitBooking: NotificationBooking?
    public var newVisitBooking: NotificationBooking?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case oldVisitBooking = "old_visit_booking"
        case newVisitBooking = "new_visit_booking"
    }

    public init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        oldVisitBooking: NotificationBooking? = nil, newVisitBooking: NotificationBooking? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.oldVisitBooking = oldVisitBooking
        self.newVisitBooking = newVisitBooking
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        oldVisitBooking = container.lenient(.oldVisitBooking)
        newVisitBooking = container.lenient(.newVisitBooking)
    }
}
