/// Optional body of `cancelBooking` (DELETE …/bookings/{booking_id}).
package struct CancelBookingRequest: Codable, Sendable, Equatable {
    package var reason: String?

    package init(reason: String? = nil) { self.reason = reason }
}
