/// Body of `moveBooking` (POST …/bookings/{booking_id}/move). The schema requires only
/// `address_service_id`, but the changelog (1.0.4) requires `start` too: it is always sent.
public struct MoveBookingRequest: Codable, Sendable, Equatable {
    public var addressServiceID: String
    public var start: DocplannerDateTime
    /// Minutes.
    public var duration: Int?
    /// Moving to another address of the doctor.
    public var addressID: String?

    public init(addressServiceID: String, start: DocplannerDateTime, duration: Int? = nil, addressID: String? = nil) {
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
