import Foundation

/// The wire shape of a change forwarded to an HTTP partner: an object whose `type` names
/// the change (`booked`, `canceled`, `confirmed`, `moved`, `presence`, `payment_status`,
/// `break_set`, `break_removed`, `address_service_set`, `address_service_deleted`,
/// `address`) with the rows it concerns. Keys are snake_case and spelled here, apart from
/// the Swift names, so the documented shape cannot change by a rename.
extension PartnerChange: Encodable {
    enum CodingKeys: String, CodingKey {
        case type, booking, old, new
        case bookingID = "booking_id"
        case calendar, presence, status
        case breakItem = "break"
        case addressService = "address_service"
        case assigned
        case commercialType = "commercial_type"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .booked(let booking):
            try c.encode("booked", forKey: .type)
            try c.encode(WireBooking(booking), forKey: .booking)
        case .canceled(let booking):
            try c.encode("canceled", forKey: .type)
            try c.encode(WireBooking(booking), forKey: .booking)
        case .confirmed(let booking):
            try c.encode("confirmed", forKey: .type)
            try c.encode(WireBooking(booking), forKey: .booking)
        case .moved(let old, let new):
            try c.encode("moved", forKey: .type)
            try c.encode(WireBooking(old), forKey: .old)
            try c.encode(WireBooking(new), forKey: .new)
        case .presence(let id, let calendar, let presence):
            try c.encode("presence", forKey: .type)
            try c.encode(id, forKey: .bookingID)
            try c.encode(WireCalendar(calendar), forKey: .calendar)
            try c.encode(presence, forKey: .presence)
        case .paymentStatus(let id, let calendar, let status):
            try c.encode("payment_status", forKey: .type)
            try c.encode(id, forKey: .bookingID)
            try c.encode(WireCalendar(calendar), forKey: .calendar)
            try c.encode(status, forKey: .status)
        case .breakSet(let item):
            try c.encode("break_set", forKey: .type)
            try c.encode(WireBreak(item), forKey: .breakItem)
        case .breakRemoved(let item):
            try c.encode("break_removed", forKey: .type)
            try c.encode(WireBreak(item), forKey: .breakItem)
        case .addressServiceSet(let service):
            try c.encode("address_service_set", forKey: .type)
            try c.encode(WireAddressService(service), forKey: .addressService)
        case .addressServiceDeleted(let service):
            try c.encode("address_service_deleted", forKey: .type)
            try c.encode(WireAddressService(service), forKey: .addressService)
        case .address(let calendar, let assigned, let commercialType):
            try c.encode("address", forKey: .type)
            try c.encode(WireCalendar(calendar), forKey: .calendar)
            try c.encodeIfPresent(assigned, forKey: .assigned)
            try c.encodeIfPresent(commercialType, forKey: .commercialType)
        }
    }
}

struct WireCalendar: Encodable {
    var facilityID: String
    var doctorID: String
    var addressID: String

    init(_ calendar: CalendarRef) {
        facilityID = calendar.facilityID
        doctorID = calendar.doctorID
        addressID = calendar.addressID
    }

    enum CodingKeys: String, CodingKey {
        case facilityID = "facility_id"
        case doctorID = "doctor_id"
        case addressID = "address_id"
    }
}

/// Times as Docplanner sent them (ISO 8601 with the clinic's offset), else from the date in UTC.
private func wireTime(_ text: String?, _ date: Date?) -> String? {
    text ?? date.map(WireTime.text)
}

struct WirePatient: Encodable {
    var name: String?
    var surname: String?
    var email: String?
    var phone: String?

    init(_ patient: PartnerPatient) {
        name = patient.name
        surname = patient.surname
        email = patient.email
        phone = patient.phone
    }
}

struct WireBooking: Encodable {
    var docplannerBookingID: String
    var calendar: WireCalendar
    var start: String?
    var end: String?
    var serviceID: String?
    var serviceName: String?
    var patient: WirePatient?
    var comment: String?
    var status: String
    var confirmed: Bool
    var presence: String?
    var paymentStatus: String?
    var movedFrom: String?
    var movedTo: String?
    var bookedBy: String?
    var canceledBy: String?

    init(_ booking: PartnerBooking) {
        docplannerBookingID = booking.docplannerID
        calendar = WireCalendar(booking.calendar)
        start = wireTime(booking.startAt, booking.start)
        end = wireTime(booking.endAt, booking.end)
        serviceID = booking.serviceID
        serviceName = booking.serviceName
        patient = booking.patient.map(WirePatient.init)
        comment = booking.comment
        status = booking.status.rawValue
        confirmed = booking.confirmed
        presence = booking.presence
        paymentStatus = booking.paymentStatus
        movedFrom = booking.movedFrom
        movedTo = booking.movedTo
        bookedBy = booking.bookedBy
        canceledBy = booking.canceledBy
    }

    enum CodingKeys: String, CodingKey {
        case docplannerBookingID = "docplanner_booking_id"
        case calendar, start, end
        case serviceID = "service_id"
        case serviceName = "service_name"
        case patient, comment, status, confirmed, presence
        case paymentStatus = "payment_status"
        case movedFrom = "moved_from"
        case movedTo = "moved_to"
        case bookedBy = "booked_by"
        case canceledBy = "canceled_by"
    }
}

struct WireBreak: Encodable {
    var docplannerBreakID: String
    var calendar: WireCalendar
    var since: String?
    var till: String?
    var description: String?

    init(_ item: PartnerBreak) {
        docplannerBreakID = item.docplannerID
        calendar = WireCalendar(item.calendar)
        since = wireTime(item.since, item.sinceDate)
        till = wireTime(item.till, item.tillDate)
        description = item.description
    }

    enum CodingKeys: String, CodingKey {
        case docplannerBreakID = "docplanner_break_id"
        case calendar, since, till, description
    }
}

struct WireAddressService: Encodable {
    var docplannerAddressServiceID: String
    var calendar: WireCalendar
    var serviceID: String?
    var name: String?
    var price: Int?
    var isPriceFrom: Bool?
    var duration: Int?

    init(_ service: PartnerAddressService) {
        docplannerAddressServiceID = service.docplannerID
        calendar = WireCalendar(service.calendar)
        serviceID = service.serviceID
        name = service.name
        price = service.price
        isPriceFrom = service.isPriceFrom
        duration = service.duration
    }

    enum CodingKeys: String, CodingKey {
        case docplannerAddressServiceID = "docplanner_address_service_id"
        case calendar
        case serviceID = "service_id"
        case name, price
        case isPriceFrom = "is_price_from"
        case duration
    }
}
