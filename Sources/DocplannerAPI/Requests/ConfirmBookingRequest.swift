/// Body of `confirmBooking` (PUT …/bookings/{booking_id}/confirm).
public struct ConfirmBookingRequest: Codable, Sendable, Equatable {
    /// `user` or `admin`.
    public var confirmedBy: String

    public init(confirmedBy: String = "user") { self.confirmedBy = confirmedBy }

    enum CodingKeys: String, CodingKey {
        case confirmedBy = "confirmed_by"
    }
}
