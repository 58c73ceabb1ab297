import Foundation

/// What a notification says, one case per event name, each with its typed `data`.
/// An event name this version does not know decodes to `unknown`, keeping `data` as raw JSON.
package enum CallbackEvent: Sendable, Equatable {
    case slotBooking(SlotBookingData)
    case slotBooked(BookingEventData)
    case bookingCanceled(BookingEventData)
    case bookingMoved(BookingMovedData)
    case bookingMoving(BookingMovingData)
    case bookingConfirmed(BookingEventData)
    case bookingPaymentStatusChanged(BookingPaymentStatusChangedData)
    case breakCreated(BreakEventData)
    case breakRemoved(BreakEventData)
    case breakMoved(BreakEventData)
    case presenceMarked(PresenceMarkedData)
    case addressServiceCreated(AddressServiceEventData)
    case addressServiceDeleted(AddressServiceEventData)
    case addressServiceChanged(AddressServiceEventData)
    case addressCommercialTypeChanged(AddressEventData)
    case addressAssigned(AddressEventData)
    case addressUnassigned(AddressEventData)
    case unknown(name: String, data: JSONValue)

    /// The event name as Docplanner spells it.
    package var name: String {
        switch self {
        case .slotBooking: CallbackEventName.slotBooking.rawValue
        case .slotBooked: CallbackEventName.slotBooked.rawValue
        case .bookingCanceled: CallbackEventName.bookingCanceled.rawValue
        case .bookingMoved: CallbackEventName.bookingMoved.rawValue
        case .bookingMoving: CallbackEventName.bookingMoving.rawValue
        case .bookingConfirmed: CallbackEventName.bookingConfirmed.rawValue
        case .bookingPaymentStatusChanged: CallbackEventName.bookingPaymentStatusChanged.rawValue
        case .breakCreated: CallbackEventName.breakCreated.rawValue
        case .breakRemoved: CallbackEventName.breakRemoved.rawValue
        case .breakMoved: CallbackEventName.breakMoved.rawValue
        case .presenceMarked: CallbackEventName.presenceMarked.rawValue
        case .addressServiceCreated: CallbackEventName.addressServiceCreated.rawValue
        case .addressServiceDeleted: CallbackEventName.addressServiceDeleted.rawValue
        case .addressServiceChanged: CallbackEventName.addressServiceChanged.rawValue
        case .addressCommercialTypeChanged: CallbackEventName.addressCommercialTypeChanged.rawValue
        case .addressAssigned: CallbackEventName.addressAssigned.rawValue
        case .addressUnassigned: CallbackEventName.addressUnassigned.rawValue
        case .unknown(let name, _): name
        }
    }

    /// The known name, or nil for `unknown`.
    package var knownName: CallbackEventName? { CallbackEventName(rawValue: name) }

    /// The event `name` with its `data` read member by member; an unknown name, or a known
    /// one whose `data` is not an object, keeps `data` raw (`unknown`).
    static func read(name: String, data: JSONValue) -> CallbackEvent {
        guard let known = CallbackEventName(rawValue: name), case .object(let members) = data else {
            return .unknown(name: name, data: data)
        }
        /// The event's data as `T` reads it from the members.
        func read<T: JSONObjectDecodable>() -> T { T(fields: JSONFields(members)) }
        switch known {
        case .slotBooking: return .slotBooking(read())
        case .slotBooked: return .slotBooked(read())
        case .bookingCanceled: return .bookingCanceled(read())
        case .bookingMoved: return .bookingMoved(read())
        case .bookingMoving: return .bookingMoving(read())
        case .bookingConfirmed: return .bookingConfirmed(read())
        case .bookingPaymentStatusChanged: return .bookingPaymentStatusChanged(read())
        case .breakCreated: return .breakCreated(read())
        case .breakRemoved: return .breakRemoved(read())
        case .breakMoved: return .breakMoved(read())
        case .presenceMarked: return .presenceMarked(read())
        case .addressServiceCreated: return .addressServiceCreated(read())
        case .addressServiceDeleted: return .addressServiceDeleted(read())
        case .addressServiceChanged: return .addressServiceChanged(read())
        case .addressCommercialTypeChanged: return .addressCommercialTypeChanged(read())
        case .addressAssigned: return .addressAssigned(read())
        case .addressUnassigned: return .addressUnassigned(read())
        }
    }

    /// Encodes the payload as the `data` member.
    func encodeData(to encoder: any Encoder) throws {
        switch self {
        case .slotBooking(let data): try data.encode(to: encoder)
        case .slotBooked(let data), .bookingCanceled(let data), .bookingConfirmed(let data):
            try data.encode(to: encoder)
        case .bookingMoved(let data): try data.encode(to: encoder)
        case .bookingMoving(let data): try data.encode(to: encoder)
        case .bookingPaymentStatusChanged(let data): try data.encode(to: encoder)
        case .breakCreated(let data), .breakRemoved(let data), .breakMoved(let data):
            try data.encode(to: encoder)
        case .presenceMarked(let data): try data.encode(to: encoder)
        case .addressServiceCreated(let data), .addressServiceDeleted(let data),
            .addressServiceChanged(let data):
            try data.encode(to: encoder)
        case .addressCommercialTypeChanged(let data), .addressAssigned(let data),
            .addressUnassigned(let data):
            try data.encode(to: encoder)
        case .unknown(_, let data): try data.encode(to: encoder)
        }
    }

    /// The facility, doctor and address the event is about.
    package var place: (facility: Facility?, doctor: Doctor?, address: Address?) {
        switch self {
        case .slotBooking(let d): (d.facility, d.doctor, d.address)
        case .slotBooked(let d), .bookingCanceled(let d), .bookingConfirmed(let d):
            (d.facility, d.doctor, d.address)
        case .bookingMoved(let d): (d.facility, d.doctor, d.address)
        case .bookingMoving(let d): (d.facility, d.doctor, d.address)
        case .bookingPaymentStatusChanged(let d): (d.facility, d.doctor, d.address)
        case .breakCreated(let d), .breakRemoved(let d), .breakMoved(let d): (d.facility, d.doctor, d.address)
        case .presenceMarked(let d): (d.facility, d.doctor, d.address)
        case .addressServiceCreated(let d), .addressServiceDeleted(let d), .addressServiceChanged(let d):
            (d.facility, d.doctor, d.address)
        case .addressCommercialTypeChanged(let d), .addressAssigned(let d), .addressUnassigned(let d):
            (d.facility, d.doctor, d.address)
        case .unknown(_, let data):
            (
                data["facility"]?["id"]?.stringValue.map { Facility(id: $0) },
                data["doctor"]?["id"]?.stringValue.map { Doctor(id: $0) },
                data["address"]?["id"]?.stringValue.map { Address(id: $0) }
            )
        }
    }

    /// The booking the event is about: `visit_booking`, the old booking of `booking-moved`,
    /// the booking being moved by `booking-moving`; nil for events about no existing booking.
    package var bookingID: String? {
        let id: String? =
            switch self {
            case .slotBooked(let d), .bookingCanceled(let d), .bookingConfirmed(let d): d.visitBooking?.id
            case .bookingMoved(let d): d.oldVisitBooking?.id
            case .bookingMoving(let d): d.cancelingBooking?.id
            case .bookingPaymentStatusChanged(let d): d.visitBooking?.id
            case .presenceMarked(let d): d.visitBooking?.id
            case .unknown(_, let data): data["visit_booking"]?["id"]?.stringValue
            default: nil
            }
        return id.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The resource part of the identity key, spelled as the daemon's callback classifier
    /// spells it: `old>new` for `booking-moved`, else `visit_booking:<id>`, `break:<id>`,
    /// `address_service:<id>` or `address:<id>`.
    var identityResource: String? {
        func nonEmpty(_ id: String?) -> String? { id.flatMap { $0.isEmpty ? nil : $0 } }
        switch self {
        case .bookingMoved(let d):
            let ids = [nonEmpty(d.oldVisitBooking?.id), nonEmpty(d.newVisitBooking?.id)].compactMap { $0 }
            if !ids.isEmpty { return ids.joined(separator: ">") }
        case .slotBooked(let d), .bookingCanceled(let d), .bookingConfirmed(let d):
            if let id = nonEmpty(d.visitBooking?.id) { return "visit_booking:\(id)" }
        case .bookingPaymentStatusChanged(let d):
            if let id = nonEmpty(d.visitBooking?.id) { return "visit_booking:\(id)" }
        case .presenceMarked(let d):
            if let id = nonEmpty(d.visitBooking?.id) { return "visit_booking:\(id)" }
        case .breakCreated(let d), .breakRemoved(let d), .breakMoved(let d):
            if let id = nonEmpty(d.calendarBreak?.id) { return "break:\(id)" }
        case .addressServiceCreated(let d), .addressServiceDeleted(let d), .addressServiceChanged(let d):
            if let id = nonEmpty(d.addressService?.id) { return "address_service:\(id)" }
        case .unknown(_, let data):
            if let old = data["old_visit_booking"], let new = data["new_visit_booking"] {
                let ids = [old["id"]?.stringValue, new["id"]?.stringValue].compactMap { nonEmpty($0) }
                if !ids.isEmpty { return ids.joined(separator: ">") }
            }
            for key in ["visit_booking", "break", "address_service"] {
                if let id = nonEmpty(data[key]?["id"]?.stringValue) { return "\(key):\(id)" }
            }
        default:
            break
        }
        return nonEmpty(place.address?.id).map { "address:\($0)" }
    }
}
