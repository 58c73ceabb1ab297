import Foundation

/// A visit booking as the partner calendar holds it.
package struct PartnerBooking: Sendable, Equatable, Codable {
    /// Where the booking stands: `moved` is the old booking of a move (see `movedTo`).
    package enum Status: String, Sendable, Codable {
        case booked, canceled, moved
    }

    /// Docplanner's booking id.
    package var docplannerID: String
    package var calendar: CalendarRef
    /// ISO 8601 with offset, as Docplanner sends it.
    package var startAt: String?
    package var endAt: String?
    package var start: Date?
    package var end: Date?
    package var serviceID: String?
    package var serviceName: String?
    package var patient: PartnerPatient?
    package var comment: String?
    package var status: Status
    package var confirmed: Bool
    package var presence: String?
    package var paymentStatus: String?
    package var movedFrom: String?
    package var movedTo: String?
    package var bookedBy: String?
    package var canceledBy: String?

    package init(
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
package struct PartnerPatient: Sendable, Equatable, Codable {
    package var name: String?
    package var surname: String?
    package var email: String?
    package var phone: String?

    package init(name: String? = nil, surname: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.surname = surname
        self.email = email
        self.phone = phone
    }
}
