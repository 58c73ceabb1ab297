import Foundation

/// Where a moved booking came from and went to (`with=booking.moving`).
public struct BookingMoving: Codable, Sendable, Equatable {
    public var originBookingID: String?
    public var newestBookingID: String?

    enum CodingKeys: String, CodingKey {
        case originBookingID = "origin_booking_id"
        case newestBookingID = "newest_booking_id"
    }

    public init(
        originBookingID: String? = nil, newestBookingID: String? = nil
    ) {
        self.originBookingID = originBookingID
        self.newestBookingID = newestBookingID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        originBookingID = container.lenientString(.originBookingID)
        newestBookingID = container.lenientString(.newestBookingID)
    }
}
