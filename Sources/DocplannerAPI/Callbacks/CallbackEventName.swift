/// The 17 event names Docplanner pushes (and serves by pull), spelled as in the document.
package enum CallbackEventName: String, Sendable, CaseIterable {
    case slotBooking = "slot-booking"
    case slotBooked = "slot-booked"
    case bookingCanceled = "booking-canceled"
    case bookingMoved = "booking-moved"
    case bookingMoving = "booking-moving"
    case bookingConfirmed = "booking-confirmed"
    case bookingPaymentStatusChanged = "booking-payment-status-changed"
    case breakCreated = "break-created"
    case breakRemoved = "break-removed"
    case breakMoved = "break-moved"
    case presenceMarked = "presence-marked"
    case addressServiceCreated = "address-service-created"
    case addressServiceDeleted = "address-service-deleted"
    case addressServiceChanged = "address-service-changed"
    case addressCommercialTypeChanged = "address-commercial-type-changed"
    case addressAssigned = "address-assigned"
    case addressUnassigned = "address-unassigned"

    /// `slot-booking` and `booking-moving`: Docplanner waits for the answer, and only a
    /// 2xx lets the patient's booking or move proceed.
    package var isBlocking: Bool { self == .slotBooking || self == .bookingMoving }
}
