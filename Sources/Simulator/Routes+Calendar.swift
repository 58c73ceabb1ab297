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

    /// getCalendar
    static func calendar(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        return APIReply.json(AddressCalendar(status: state.addresses[index].calendarEnabled ? "enabled" : "disabled"))
    }

    /// enableCalendar (200; 409 already enabled; 422 not commercial).
    static func enable(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        try state.requireCommercial(index)
        guard !state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(409, "Calendar already enabled"))
        }
        state.addresses[index].calendarEnabled = true
        return APIReply.empty(200)
    }

    /// disableCalendar (200; 409 already disabled).
    static func disable(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(409, "Calendar already disabled"))
        }
        state.addresses[index].calendarEnabled = false
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

    /// addCalendarBreak → 201 with the break and its `Location` (409 for the same range and
    /// description; 422 for an empty or reversed range).
    static func addBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try editableCalendar(request, state)
        let (since, till, fields) = try readRange(request)
        let description = fields.string("description")
        let coupled = fields.bool("apply_on_coupled_addresses")
        try fields.validation.check()
        guard since < till else { throw HTTPResponseError(APIReply.problem(422, "Invalid date range")) }
        let addressID = state.addresses[index].id
        guard !state.breaks.contains(where: {
            $0.addressID == addressID && $0.since == since && $0.till == till && $0.description == description
        }) else {
            throw HTTPResponseError(APIReply.problem(409, "Break for given address, date range and description exists"))
        }
        let record = SimulatorState.BreakRecord(
            id: state.makeID(), addressID: addressID, since: since, till: till, description: description)
        state.breaks.append(record)
        if coupled == true {
            // The doctor's other addresses in the facility get the same break.
            let address = state.addresses[index]
            for other in state.addresses where other.id != address.id && other.doctorID == address.doctorID
                && other.facilityID == address.facilityID
            {
                state.breaks.append(.init(id: state.makeID(), addressID: other.id, since: since, till: till, description: description))
            }
        }
        return APIReply.json(
            201, state.render(record, timeZone: request.timeZone), headers: [("Location", request.path + "/\(record.id)")])
    }

    /// getCalendarBreak
    static func getBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        _ = try calendarAddress(request, state)
        let index = try state.resolveBreak(request)
        return APIReply.json(state.render(state.breaks[index], timeZone: request.timeZone))
    }

    /// moveCalendarBreak (204; 422 for the same range or a reversed one).
    static func moveBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        _ = try editableCalendar(request, state)
        let index = try state.resolveBreak(request)
        let (since, till, fields) = try readRange(request)
        try fields.validation.check()
        let current = state.breaks[index]
        guard since != current.since || till != current.till else {
            throw HTTPResponseError(APIReply.problem(422, "Same Date Range"))
        }
        guard since < till else {
            let text = { (date: Date) in DocplannerDateTime.format(date, timeZone: request.timeZone) }
            throw HTTPResponseError(APIReply.problem(422, "Till (\(text(till))) cannot be set before since (\(text(since)))"))
        }
        state.breaks[index].since = since
        state.breaks[index].till = till
        return APIReply.empty(204)
    }

    /// deleteCalendarBreak (204)
    static func deleteBreak(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        _ = try editableCalendar(request, state)
        let index = try state.resolveBreak(request)
        state.breaks.remove(at: index)
        return APIReply.empty(204)
    }

    // MARK: - Helpers

    /// The address, when its calendar exists (is enabled).
    static func calendarAddress(_ request: APIRequest, _ state: SimulatorState) throws(HTTPResponseError) -> Int {
        let index = try state.resolveAddress(request)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(404, "Calendar not found for this address"))
        }
        return index
    }

    /// The address, when its calendar may be changed (commercial and enabled).
    static func editableCalendar(_ request: APIRequest, _ state: SimulatorState) throws(HTTPResponseError) -> Int {
        let index = try state.resolveAddress(request)
        try state.requireCommercial(index)
        guard state.addresses[index].calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(403, "You are not authorized to make changes on this calendar"))
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

    /// `since` and `till` of Add/MoveCalendarBreakRequest.
    static func readRange(_ request: APIRequest) throws(HTTPResponseError) -> (Date, Date, BodyFields) {
        let fields = BodyFields(try request.jsonObject().get(), validation: BodyValidation())
        for name in ["since", "till"] where !fields.has(name) {
            throw HTTPResponseError(APIReply.problem(400, "Param \"\(name)\" is required!"))
        }
        let since = fields.dateTime("since")
        let till = fields.dateTime("till")
        try fields.validation.check()
        return (since!.date, till!.date, fields)
    }
}
