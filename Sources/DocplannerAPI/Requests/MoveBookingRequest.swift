/// Body of `moveBooking` (POST …/bookings/{booking_id}/move). The schema requires only
/// `address_service_id`, but the changelog (1.0.4) requires `start` too: it is always sent.
package struct MoveBookingRequest: Codable, Sendable, Equatable {
    package var addressServiceID: String
    package var start: DocplannerDateTime
    /// Minutes.
    package var duration: Int?
    /// Moving to another address of the doctor.
    package var addressID: String?

    package init(addressServiceID: String, start: DocplannerDateTime, duration: Int? = nil, addressID: String? = nil) {
        self.addressServiceID = addressServiceID
        self.start = start
        self.duration = duration
        self.addressID = addressID
    }

    enum CodingKeys: String, CodingKey {
        case addressServiceID = "address_service_id"
        case start, duration
        case addressID = "address_id"
    }
}
