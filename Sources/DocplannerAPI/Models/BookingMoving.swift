import Foundation

/// Where a moved booking came from and went to (`with=booking.moving`).
package struct BookingMoving: Codable, Sendable, Equatable {
    package var originBookingID: String?
    package var newestBookingID: String?

    enum CodingKeys: String, CodingKey {
        case originBookingID = "origin_booking_id"
        case newestBookingID = "newest_booking_id"
    }

    package init(
        originBookingID: String? = nil, newestBookingID: String? = nil
    ) {
        self.originBookingID = originBookingID
        self.newestBookingID = newestBookingID
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        originBookingID = container.lenientString(.originBookingID)
        newestBookingID = container.lenientString(.newestBookingID)
    }
}
