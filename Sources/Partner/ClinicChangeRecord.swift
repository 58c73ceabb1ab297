/// One clinic-side change captured in the partner calendar's change log: which row of
/// which table, and the calendar it belongs to. The row itself is read when the change
/// is sent, so several changes to one row go out as its latest state.
public struct ClinicChangeRecord: Sendable, Equatable {
    public enum Table: String, Sendable {
        case bookings, breaks
        case workingHours = "working_hours"
        case daySlots = "day_slots"
    }

    public var id: Int64
    public var table: Table
    public var rowID: Int64
    public var operation: String
    public var calendar: CalendarRef
    /// Docplanner's id of a deleted booking or break (the row is gone).
    public var docplannerID: String?

    public init(
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
