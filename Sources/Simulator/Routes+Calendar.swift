import DocplannerAPI
import Foundation
import HTTP1

/// An address's calendar: status, enabling, and calendar breaks.
enum CalendarRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", address + "/calendar", state: calendar)
        gateway.add(&router, "POST", address + "/calendar/enable", state: enable)
        gateway.add(&router, "POST", address + "/calendar/disable", state: disable)
        gateway.add(&router, "GET", address + "/breaks", state: breaks)
        gateway.add(&router, "POST", address + "/breaks", state: addBreak)
        gateway.add(&router, "GET", address + "/breaks/:break", state: getBreak)
        gateway.add(&router, "PATCH", address + "/breaks/:break", state: moveBreak)
        gateway.add(&router, "DELETE", address + "/breaks/:break", state: deleteBreak)
    }

    /// getCalendar: `enabled` or `disabled`; 404 "Calendar does not exist" (the `CalendarNotFound`
    /// example of getCalendar's 404) when the address has no calendar.
    static func calendar(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let index = try state.resolveAddress(request)
        switch state.addresses[index].calendar {
        case .missing: throw HTTPResponseError(APIReply.problem(404, APIReply.calendarDoesNotExist))
        case .enabled: return APIReply.json(AddressCalendar(status: "enabled"))
        case .disabled: return APIReply.json(AddressCalendar(status: "disabled"))
        }
    }

    /// enableCalendar (200; 409 already enabled, `CalendarAlreadyEnabled`; 422 not commercial,
    /// `DoctorOrAddressNotCommercial`). Without a calendar: 403 `CalendarEditionNotAuthorized`
    /// — enableCalendar documents no 404 and only addCalendarBreak creates a missing calendar
    /// (changelog 1.0.13), so there is nothing to enable (the stricter reading).
    static func enable(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try existingCalendar(request, state)
        try state.requireCommercial(index)
        guard !state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(409, "Calendar already enabled"))
        }
        state.addresses[index].calendar = .enabled
        return APIReply.empty(200)
    }

    /// disableCalendar (200; 409 already disabled, `CalendarAlreadyDisabled`). Without a
    /// calendar: 403 `CalendarEditionNotAuthorized`, as enableCalendar.
    static func disable(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let index = try existingCalendar(request, state)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(409, "Calendar already disabled"))
        }
        state.addresses[index].calendar = .disabled
        return APIReply.empty(200)
    }

    /// getCalendarBreaks?since&till (both required) — breaks overlapping the range.
    static func breaks(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try calendarAddress(request, state)
        let since = try requiredDate(request, "since")
        let till = try requiredDate(request, "till")
        let addressID = state.addresses[index].id
        let found = state.breaks.filter { $0.addressID == addressID && $0.since < till && $0.till > since }
            .sorted { $0.since < $1.since }
        return APIReply.json(ItemList(found.map { state.render($0, timeZone: request.timeZone) }))
    }

    /// The members of AddCalendarBreakRequest (integrations-api.yml `components.schemas`).
    static let addBreakMembers: Set<String> = ["since", "till", "description", "apply_on_coupled_addresses"]
    /// The members of MoveCalendarBreakRequest.
    static let moveBreakMembers: Set<String> = ["since", "till"]

    /// addCalendarBreak → 201 with the break and its `Location` (409 for the same range and
    /// description, `CalendarBreakAlreadyExists`; 422 for an empty or reversed range,
    /// `InvalidDateRange`). A missing calendar is created first (changelog 1.0.13, "Creating
    /// calendar in addCalendarBreak when it's missing"), disabled, and the usual rule of a
    /// disabled calendar (403) applies. `apply_on_coupled_addresses` adds the same break on
    /// the doctor's coupled addresses in the facility — "the online-only ones for an offline
    /// address and the other way round" (AddCalendarBreakRequest, 1.14.0).
    static func addBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let requested = try state.resolveAddress(request)
        if state.addresses[requested].calendar == .missing { state.addresses[requested].calendar = .disabled }
        let index = try editableCalendar(request, state)
        let (since, till, fields) = try readRange(request, members: addBreakMembers)
        let description = fields.string("description")
        let coupled = fields.bool("apply_on_coupled_addresses")
        try fields.validation.check()
        guard since < till else { throw HTTPResponseError(APIReply.problem(422, "Invalid date range")) }
        let addressID = state.addresses[index].id
        guard
            !state.breaks.contains(where: {
                $0.addressID == addressID && $0.since == since && $0.till == till && $0.description == description
            })
        else {
            throw HTTPResponseError(APIReply.problem(409, "Break for given address, date range and description exists"))
        }
        let record = SimulatorState.BreakRecord(
            id: state.makeID(), addressID: addressID, since: since, till: till, description: description)
        state.breaks.append(record)
        if coupled == true {
            let address = state.addresses[index]
            for other in state.addresses
            where other.id != address.id && other.doctorID == address.doctorID
                && other.facilityID == address.facilityID && other.isOnlineOnly != address.isOnlineOnly
                && !other.integrationRemoved
            {
                state.breaks.append(
                    .init(
                        id: state.makeID(), addressID: other.id, since: since, till: till, description: description,
                        coupledTo: record.id))
            }
        }
        return APIReply.json(
            201, state.render(record, timeZone: request.timeZone),
            headers: [("Location", request.path + "/\(record.id)")])
    }

    /// getCalendarBreak
    static func getBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        _ = try calendarAddress(request, state)
        let index = try state.resolveBreak(request)
        return APIReply.json(state.render(state.breaks[index], timeZone: request.timeZone))
    }

    /// moveCalendarBreak (204; 422 for the same range, `SameDateRange`, or a reversed one,
    /// `TillEarlierThanSince`). Breaks created alongside it move with it (1.14.0).
    static func moveBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        _ = try editableCalendar(request, state)
        let index = try state.resolveBreak(request)
        let (since, till, fields) = try readRange(request, members: moveBreakMembers)
        try fields.validation.check()
        let current = state.breaks[index]
        guard since != current.since || till != current.till else {
            throw HTTPResponseError(APIReply.problem(422, "Same Date Range"))
        }
        guard since < till else {
            let text = { (date: Date) in DocplannerDateTime.format(date, timeZone: request.timeZone) }
            throw HTTPResponseError(
                APIReply.problem(422, "Till (\(text(till))) cannot be set before since (\(text(since)))"))
        }
        for other in state.breaks.indices
        where state.breaks[other].id == current.id || state.breaks[other].coupledTo == current.id {
            state.breaks[other].since = since
            state.breaks[other].till = till
        }
        return APIReply.empty(204)
    }

    /// deleteCalendarBreak (204); breaks created alongside it go with it (1.14.0).
    static func deleteBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        _ = try editableCalendar(request, state)
        let index = try state.resolveBreak(request)
        let id = state.breaks[index].id
        state.breaks.removeAll { $0.id == id || $0.coupledTo == id }
        return APIReply.empty(204)
    }

    // MARK: - Helpers

    /// The address, when its calendar exists (is enabled); 404 `CalendarNotFoundForAddress`.
    static func calendarAddress(_ request: APIRequest, _ state: SimulatorState) throws(HTTPResponseError) -> Int {
        let index = try state.resolveAddress(request)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.calendarNotFound))
        }
        return index
    }

    /// The address, when it has a calendar (enabled or not); 403 `CalendarEditionNotAuthorized`.
    static func existingCalendar(_ request: APIRequest, _ state: SimulatorState) throws(HTTPResponseError) -> Int {
        let index = try state.resolveAddress(request)
        guard state.addresses[index].calendar != .missing else {
            throw HTTPResponseError(APIReply.problem(403, APIReply.calendarEditionNotAuthorized))
        }
        return index
    }

    /// The address, when its calendar may be changed (commercial and enabled): 422
    /// `DoctorOrAddressNotCommercial`, else 403 `CalendarEditionNotAuthorized` (also when the
    /// calendar is missing).
    static func editableCalendar(_ request: APIRequest, _ state: SimulatorState) throws(HTTPResponseError) -> Int {
        let index = try state.resolveAddress(request)
        try state.requireCommercial(index)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(403, APIReply.calendarEditionNotAuthorized))
        }
        return index
    }

    /// A required date query parameter (`Param "since" is required!`, `Invalid date given.`).
    static func requiredDate(_ request: APIRequest, _ name: String) throws(HTTPResponseError) -> Date {
        guard let text = request.query(name), !text.isEmpty else {
            throw HTTPResponseError(APIReply.problem(400, "Param \"\(name)\" is required!"))
        }
        guard let date = DocplannerDateTime.parse(text) else {
            throw HTTPResponseError(APIReply.problem(404, "Invalid date given."))
        }
        return date
    }

    /// `since` and `till` of Add/MoveCalendarBreakRequest (`ParameterRequiredSince`/`Till`),
    /// with the body's other members checked against `members`.
    static func readRange(_ request: APIRequest, members: Set<String>) throws(HTTPResponseError) -> (
        Date, Date, BodyFields
    ) {
        let fields = try request.fields()
        for name in ["since", "till"] where !fields.has(name) {
            throw HTTPResponseError(APIReply.problem(400, "Param \"\(name)\" is required!"))
        }
        fields.only(members)
        let since = fields.dateTime("since")
        let till = fields.dateTime("till")
        try fields.validation.check()
        return (since!.date, till!.date, fields)
    }
}
