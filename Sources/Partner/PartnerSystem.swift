import Foundation

/// The boundary to the clinic's scheduling system.
///
/// Changes are applied exactly once in effect: each comes with the identity of the
/// event that caused it, and an event already applied changes nothing. Changes carry
/// the event's time; a change older than what a row already reflects (events arriving
/// out of order) does not undo the newer state.
package protocol PartnerSystem: Sendable {
    /// Applies `changes` atomically unless `eventKey` was applied before. Returns false
    /// when it was (nothing changed).
    func apply(_ changes: [PartnerChange], eventKey: String, eventTime: Date) throws(PartnerError) -> Bool

    /// Applies several events, each as `apply` would, in one go where the system can (one
    /// transaction); one event's failure leaves the others' outcomes alone. One result per
    /// event, in order: true applied, false applied before.
    func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>]

    /// Whether the calendar has nothing booked and no break overlapping `start..<end`
    /// (a booking named `ignoring`, the one being moved, does not count).
    func isFree(_ calendar: CalendarRef, start: Date, end: Date, ignoring: String?) throws(PartnerError) -> Bool

    /// The booking with Docplanner's id, if the calendar holds it.
    func booking(docplannerID: String) throws(PartnerError) -> PartnerBooking?
}

extension PartnerSystem {
    /// One `apply` per event.
    package func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
        events.map { event in
            Result { () throws(PartnerError) in
                try apply(event.changes, eventKey: event.eventKey, eventTime: event.eventTime)
            }
        }
    }
}
