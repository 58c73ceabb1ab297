/// Body of `confirmBooking` (PUT …/bookings/{booking_id}/confirm).
package struct ConfirmBookingRequest: Codable, Sendable, Equatable {
    /// `user` or `admin`.
    package var confirmedBy: String

    package init(confirmedBy: String = "user") { self.confirmedBy = confirmedBy }

    enum CodingKeys: String, CodingKey {
        case confirmedBy = "confirmed_by"
    }
}
