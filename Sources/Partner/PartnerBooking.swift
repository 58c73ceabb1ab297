import Foundation

/// A visit booking as the partner calendar holds it.
public struct PartnerBooking: Sendable, Equatable, Codable {
    /// Where the booking stands: `moved` is the old booking of a move (see `movedTo`).
    public enum Status: String, Sendable, Codable {
        case booked, canceled, moved
    }

    /// Docplanner's booking id.
    public var docplannerID: String
    public var calendar: CalendarRef
    /// ISO 8601 with offset, as Docplanner sends it.
    public var startAt: String?
    public var endAt: String?
    public var start: Date?
    public var end: Date?
    public var serviceID: String?
    public var serviceName: String?
    public var patient: PartnerPatient?
    public var comment: String?
    public var status: Status
    public var confirmed: Bool
    public var presence: String?
    public var paymentStatus: String?
    public var movedFrom: String?
    public var movedTo: String?
    public var bookedBy: String?
    public var canceledBy: String?

    public init(
        docplannerID: String, calendar: CalendarRef, startAt: String? = nil, endAt: String? = nil,
        start: Date? = nil, end: Date? = nil, serviceID: String? = nil, serviceName: String? = nil,
        patient: PartnerPatient? = nil, comment: String? = nil, status: Status = .booked,
        confirmed: Bool = false, presence: String? = nil, paymentStatus: String? = nil,
        movedFrom: String? = nil, movedTo: String? = nil, bookedBy: String? = nil, canceledBy: String? = nil
    ) {
        self.docplannerID = docplannerID
        self.calendar = calendar
        self.startAt = startAt
        self.endAt = endAt
        self.start = start
        self.end = end
        self.serviceID = serviceID
        self.serviceName = serviceName
        self.patient = patient
        self.comment = comment
        self.status = status
        self.confirmed = confirmed
        self.presence = presence
        self.paymentStatus = paymentStatus
        self.movedFrom = movedFrom
        self.movedTo = movedTo
        self.bookedBy = bookedBy
        self.canceledBy = canceledBy
    }
}

/// The patient of a booking (what Docplanner shares with the clinic).
public struct PartnerPatient: Sendable, Equatable, Codable {
    public var name: String?
    public var surname: String?
    public var email: String?
    public var phone: String?

    public init(name: String? = nil, surname: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.surname = surname
        self.email = email
        self.phone = phone
    }
}
