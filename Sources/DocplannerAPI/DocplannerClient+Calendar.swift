import Foundation

/// An address's calendar: status, enabling, and calendar breaks.
extension DocplannerClient {
    /// `getCalendar`: GET …/addresses/{address_id}/calendar
    package func getCalendar(
        facilityID: String, doctorID: String, addressID: String, priority: RequestPriority = .normal
    ) throws(DocplannerError) -> AddressCalendar {
        try call(
            "getCalendar", AddressCalendar.self, .get, addressPath(facilityID, doctorID, addressID, "calendar"),
            priority: priority
        )
    }

    /// `enableCalendar`: POST …/calendar/enable (409 if already enabled; 422 if not commercial)
    package func enableCalendar(
        facilityID: String, doctorID: String, addressID: String, priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "enableCalendar", .post, addressPath(facilityID, doctorID, addressID, "calendar", "enable"),
            priority: priority
        )
    }

    /// `disableCalendar`: POST …/calendar/disable (409 if already disabled)
    package func disableCalendar(
        facilityID: String, doctorID: String, addressID: String, priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "disableCalendar", .post, addressPath(facilityID, doctorID, addressID, "calendar", "disable"),
            priority: priority
        )
    }

    /// `getCalendarBreaks`: GET …/breaks?since=…&till=…
    package func getCalendarBreaks(
        facilityID: String, doctorID: String, addressID: String, since: Date, till: Date,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [CalendarBreak] {
        try call(
            "getCalendarBreaks", ItemList<CalendarBreak>.self, .get,
            addressPath(facilityID, doctorID, addressID, "breaks"),
            query: [("since", dateTime(since).text), ("till", dateTime(till).text)], priority: priority
        ).items
    }

    /// `addCalendarBreak`: POST …/breaks → 201 with the break (409 for the same range and
    /// description again).
    package func addCalendarBreak(
        facilityID: String, doctorID: String, addressID: String, since: Date, till: Date,
        description: String? = nil, applyOnCoupledAddresses: Bool? = nil, priority: RequestPriority = .normal
    ) throws(DocplannerError) -> CalendarBreak {
        let request = AddCalendarBreakRequest(
            since: dateTime(since), till: dateTime(till), description: description,
            applyOnCoupledAddresses: applyOnCoupledAddresses)
        return try call(
            "addCalendarBreak", CalendarBreak.self, .post, addressPath(facilityID, doctorID, addressID, "breaks"),
            body: encode(request), priority: priority)
    }

    /// `getCalendarBreak`: GET …/breaks/{break_id}
    package func getCalendarBreak(
        facilityID: String, doctorID: String, addressID: String, breakID: String,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) -> CalendarBreak {
        try call(
            "getCalendarBreak", CalendarBreak.self, .get,
            addressPath(facilityID, doctorID, addressID, "breaks", breakID),
            priority: priority)
    }

    /// `moveCalendarBreak`: PATCH …/breaks/{break_id} (204)
    package func moveCalendarBreak(
        facilityID: String, doctorID: String, addressID: String, breakID: String, since: Date, till: Date,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "moveCalendarBreak", .patch, addressPath(facilityID, doctorID, addressID, "breaks", breakID),
            body: encode(MoveCalendarBreakRequest(since: dateTime(since), till: dateTime(till))), priority: priority)
    }

    /// `deleteCalendarBreak`: DELETE …/breaks/{break_id} (204)
    package func deleteCalendarBreak(
        facilityID: String, doctorID: String, addressID: String, breakID: String,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "deleteCalendarBreak", .delete, addressPath(facilityID, doctorID, addressID, "breaks", breakID),
            priority: priority
        )
    }
}
