import Foundation

/// Moving a booking, as Docplanner does it: the old booking is canceled and a new one
/// (with a new id) takes its place; both remember the chain (`booking.moving`).
extension SimulatorState {
    /// Moves the booking at `index` and returns the new booking.
    mutating func move(
        bookingAt index: Int, to target: AddressRecord, start: Date, duration: Int, serviceID: String?,
        by party: String,
        at now: Date
    ) -> BookingRecord {
        let old = bookings[index]
        let origin = old.originID ?? old.id
        var moved = old
        moved.id = makeID()
        moved.facilityID = target.facilityID
        moved.doctorID = target.doctorID
        moved.addressID = target.id
        moved.start = start
        moved.duration = duration
        moved.addressServiceID = serviceID ?? old.addressServiceID
        moved.bookedBy = party
        moved.bookedAt = now
        moved.status = "booked"
        moved.canceledBy = ""
        moved.canceledAt = nil
        moved.confirmed = false
        moved.presence = nil
        moved.originID = origin
        moved.newestID = nil
        bookings[index].status = "canceled"
        bookings[index].canceledBy = party
        bookings[index].canceledAt = now
        for other in bookings.indices where bookings[other].id == origin || bookings[other].originID == origin {
            bookings[other].newestID = moved.id
        }
        bookings.append(moved)
        return moved
    }
}
