import Foundation
import Partner
import Store

/// A clinic-side change waiting in the outbox to be sent to Docplanner. Jobs name rows,
/// not values: the row's state is read when the job runs, so a job that runs twice, or
/// after several edits to its row, sends the row's latest state once.
package struct OutboundJob: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable {
        /// A clinic booking row: book, cancel, move, confirm, mark presence.
        case booking
        /// A clinic booking row was deleted: cancel it on Docplanner.
        case bookingDeleted = "booking-deleted"
        /// A break row: add, move or delete the break.
        case calendarBreak = "break"
        /// A break row was deleted.
        case breakDeleted = "break-deleted"
        /// The availability of one calendar changed: replace the changed days' slots.
        case slots
        /// Compare one calendar's bookings with Docplanner's and repair drift.
        case reconcile
    }

    package var kind: Kind
    package var calendar: CalendarRef
    package var rowID: Int64?
    package var docplannerID: String?

    package init(kind: Kind, calendar: CalendarRef, rowID: Int64? = nil, docplannerID: String? = nil) {
        self.kind = kind
        self.calendar = calendar
        self.rowID = rowID
        self.docplannerID = docplannerID
    }

    /// Bookings go first, then breaks, then slots (the store claims lower first).
    var priority: Int {
        switch kind {
        case .booking, .bookingDeleted: 0
        case .calendarBreak, .breakDeleted: 1
        case .slots: 2
        case .reconcile: 3
        }
    }

    /// Jobs of one row (or one calendar's slots) run one at a time, in order.
    var orderingKey: String {
        switch kind {
        case .booking, .bookingDeleted: "clinic-booking:\(rowID ?? 0)"
        case .calendarBreak, .breakDeleted: "clinic-break:\(rowID ?? 0)"
        case .slots: "slots:\(calendar.doctorID):\(calendar.addressID)"
        case .reconcile: "reconcile:\(calendar.doctorID):\(calendar.addressID)"
        }
    }

    /// A job not yet started is replaced by a newer one for the same row or calendar:
    /// a burst of edits becomes one call.
    var coalesceKey: String? {
        switch kind {
        case .booking, .calendarBreak, .slots, .reconcile: orderingKey
        case .bookingDeleted, .breakDeleted: nil
        }
    }

    /// The outbox item; `dedupKey` must be unique per change.
    func item(dedupKey: String) -> OutboxItem {
        let payload = (try? JSONEncoder().encode(self)).map { [UInt8]($0) } ?? []
        return OutboxItem(
            kind: kind.rawValue, payload: payload, dedupKey: dedupKey, orderingKey: orderingKey,
            coalesceKey: coalesceKey,
            priority: priority)
    }

    static func decode(_ job: Job) -> OutboundJob? {
        try? JSONDecoder().decode(OutboundJob.self, from: Data(job.payload))
    }
}
