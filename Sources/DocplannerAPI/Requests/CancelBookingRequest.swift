/// Optional body of `cancelBooking` (DELETE …/bookings/{booking_id}).
public struct CancelBookingRequest: Codable, Sendable, Equatable {
    public var reason: String?

    public init(reason: String? = nil) { self.reason = reason }
}
