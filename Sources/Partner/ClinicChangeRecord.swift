/// One clinic-side change captured in the partner calendar's change log: which row of
/// which table, and the calendar it belongs to. The row itself is read when the change
/// is sent, so several changes to one row go out as its latest state.
package struct ClinicChangeRecord: Sendable, Equatable {
    package enum Table: String, Sendable {
        case bookings, breaks
        case workingHours = "working_hours"
        case daySlots = "day_slots"
    }

    package var id: Int64
    package var table: Table
    package var rowID: Int64
    package var operation: String
    package var calendar: CalendarRef
    /// Docplanner's id of a deleted booking or break (the row is gone).
    package var docplannerID: String?

    package init(
        id: Int64, table: Table, rowID: Int64, operation: String, calendar: CalendarRef, docplannerID: String? = nil
    ) {
        self.id = id
        self.table = table
        self.rowID = rowID
        self.operation = operation
        self.calendar = calendar
        self.docplannerID = docplannerID
    }
}
