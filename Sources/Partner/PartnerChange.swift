/// One change Docplanner asks of the partner calendar. The inbound workers translate each
/// callback event into these; the partner system applies them.
package enum PartnerChange: Sendable, Equatable {
    /// `slot-booked`: the booking exists (details from the event).
    case booked(PartnerBooking)
    /// `booking-canceled`.
    case canceled(PartnerBooking)
    /// `booking-confirmed`: the visit is confirmed (the status does not change).
    case confirmed(PartnerBooking)
    /// `booking-moved`: the old booking is replaced by the new one.
    case moved(old: PartnerBooking, new: PartnerBooking)
    /// `presence-marked`: the patient came (or not).
    case presence(bookingID: String, calendar: CalendarRef, presence: String)
    /// `booking-payment-status-changed`.
    case paymentStatus(bookingID: String, calendar: CalendarRef, status: String)
    /// `break-created`, `break-moved`: the break is (now) at `since`…`till`.
    case breakSet(PartnerBreak)
    /// `break-removed`.
    case breakRemoved(PartnerBreak)
    /// `address-service-created`, `address-service-changed`.
    case addressServiceSet(PartnerAddressService)
    /// `address-service-deleted`.
    case addressServiceDeleted(PartnerAddressService)
    /// `address-assigned`, `address-unassigned`, `address-commercial-type-changed`.
    case address(calendar: CalendarRef, assigned: Bool?, commercialType: String?)
}
