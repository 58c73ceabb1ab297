import DocplannerAPI
import Foundation
import HTTP1

/// Bookings: listing, reading, cancelling, moving, confirming, and patient presence.
enum BookingRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", address + "/bookings", state: list)
        gateway.add(&router, "GET", address + "/bookings/:booking", state: get)
        gateway.add(&router, "DELETE", address + "/bookings/:booking", state: cancel)
        gateway.add(&router, "POST", address + "/bookings/:booking/move", state: move)
        gateway.add(&router, "PUT", address + "/bookings/:booking/confirm", state: confirm)
        gateway.add(&router, "POST", address + "/bookings/:booking/presence/patient") {
            request, state throws(HTTPResponseError) in
            try presence(request, &state, "present")
        }
        gateway.add(&router, "DELETE", address + "/bookings/:booking/presence/patient") {
            request, state throws(HTTPResponseError) in
            try presence(request, &state, "absent")
        }
    }

    /// The body of a bookings list: `_items`, and with `page` also the pagination fields
    /// and `_links`.
    struct Page: Encodable {
        struct Link: Encodable { var href: String }
        var items: [Booking]
        var page: Int?
        var limit: Int?
        var pages: Int?
        var total: Int?
        var links: [String: Link]?

        enum CodingKeys: String, CodingKey {
            case items = "_items"
            case page, limit, pages, total
            case links = "_links"
        }
    }

    /// getBookings?start&end[&page&limit] — bookings starting in the range, by start. The
    /// list carries no `moving`: `booking.moving` is a scope of getBooking only (BookingScopes;
    /// BookingsScopes does not list it).
    static func list(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let addressID = state.addresses[try state.resolveAddress(request)].id
        let start = try CalendarRoutes.requiredDate(request, "start")
        let end = try CalendarRoutes.requiredDate(request, "end")
        let found = state.bookings.filter { $0.addressID == addressID && $0.start >= start && $0.start <= end }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let scopes = request.scopes.subtracting(["booking.moving"])
        let rendered = found.map { state.render($0, timeZone: request.timeZone, scopes: scopes) }
        guard let pageText = request.query("page") else { return APIReply.json(Page(items: rendered)) }
        guard let page = Int(pageText), page >= 1 else {
            throw HTTPResponseError(
                APIReply.problem(
                    400, APIReply.invalidArguments, fieldErrors: ["page": ["This value should be 1 or more."]]))
        }
        let limitText = request.query("limit") ?? "100"
        guard let limit = Int(limitText), (1...100).contains(limit) else {
            throw HTTPResponseError(
                APIReply.problem(
                    400, APIReply.invalidArguments, fieldErrors: ["limit": ["This value should be between 1 and 100."]])
            )
        }
        let pages = max(1, (rendered.count + limit - 1) / limit)
        let items = Array(rendered.dropFirst((page - 1) * limit).prefix(limit))
        func link(_ number: Int) -> Page.Link {
            let others = request.query.filter { $0.0 != "page" && $0.0 != "limit" }
                .map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }
            return Page.Link(
                href: request.path + "?" + (others + ["page=\(number)", "limit=\(limit)"]).joined(separator: "&"))
        }
        var links = ["self": link(page), "first": link(1), "last": link(pages)]
        if page < pages { links["next"] = link(page + 1) }
        if page > 1 { links["previous"] = link(page - 1) }
        return APIReply.json(
            Page(items: items, page: page, limit: limit, pages: pages, total: rendered.count, links: links))
    }

    /// getBooking. With `booking.moving`, the move chain (BookingMoving): `origin_booking_id`
    /// is the first booking of the chain and `newest_booking_id` the latest; both are the
    /// booking's own id when it was never moved (getBooking's description).
    static func get(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveBooking(request)
        return APIReply.json(
            state.render(state.bookings[index], timeZone: request.timeZone, scopes: request.scopes, full: true))
    }

    /// cancelBooking (204), with an optional CancelBookingRequest (`reason`). A booking not
    /// booked (already canceled or moved) is a 400, `DeleteBookingValidationError`: "Visit …
    /// cannot be canceled because it is not booked".
    static func cancel(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveBooking(request)
        let fields = try request.fields(required: false)
        fields.only(["reason"])
        _ = fields.string("reason")
        try fields.validation.check()
        guard state.bookings[index].isBooked else {
            throw HTTPResponseError(
                APIReply.problem(400, "Visit \(state.bookings[index].id) cannot be canceled because it is not booked"))
        }
        state.bookings[index].status = "canceled"
        state.bookings[index].canceledBy = "integration"
        state.bookings[index].canceledAt = request.date
        return APIReply.empty(204)
    }

    /// moveBooking → 201 with the new booking (a new id) and its `Location`; the old one is
    /// canceled. 409 "The visit has already been canceled or moved" (`VisitAlreadyMovedOrDeleted`)
    /// when it is not booked any more — a second move of a moved booking included; 422 when
    /// money would cross payment accounts (1.13.0). MoveBookingRequest requires
    /// `address_service_id` and, by changelog 1.0.4, `start`.
    static func move(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveBooking(request)
        let fields = try request.fields()
        fields.only(["address_service_id", "start", "duration", "address_id"])
        let serviceID = fields.id("address_service_id", required: true)
        let start = fields.dateTime("start", required: true)
        let duration = fields.int("duration", minimum: 1)
        let targetID = fields.id("address_id")
        try fields.validation.check()

        let old = state.bookings[index]
        guard old.isBooked else {
            throw HTTPResponseError(APIReply.problem(409, "The visit has already been canceled or moved"))
        }
        guard let target = state.address(targetID ?? old.addressID), !target.integrationRemoved else {
            throw HTTPResponseError(APIReply.problem(400, "Address does not exist"))
        }
        guard target.facilityID == request[parameter: "facility"] else {
            throw HTTPResponseError(APIReply.problem(403, "This address does not belong to this facility"))
        }
        guard let service = state.addressService(serviceID!) else {
            throw HTTPResponseError(APIReply.problem(400, "Service does not exist"))
        }
        guard service.addressID == target.id else {
            throw HTTPResponseError(APIReply.problem(400, "Service does not belong to the address"))
        }
        let current = state.address(old.addressID)
        if old.holdsMoney && current?.paymentAccount != target.paymentAccount {
            throw HTTPResponseError(
                APIReply.problem(
                    422,
                    "This booking has a payment on it and the target address bills through a different payment account. Cancel the booking and create a new one instead."
                ))
        }
        let minutes = duration ?? old.duration
        guard
            state.isFree(
                address: target.id, from: start!.date, to: start!.date.addingTimeInterval(Double(minutes) * 60),
                ignoring: old.id)
        else {
            throw HTTPResponseError(APIReply.problem(409, "The target time is not available"))
        }
        let moved = state.move(
            bookingAt: index, to: target, start: start!.date, duration: minutes, serviceID: service.id,
            by: "integration",
            at: request.date)
        let location =
            APIGateway.base
            + "/facilities/\(target.facilityID)/doctors/\(target.doctorID)/addresses/\(target.id)/bookings/\(moved.id)"
        return APIReply.json(
            201, state.render(moved, timeZone: request.timeZone, scopes: request.scopes, full: true),
            headers: [("Location", location)])
    }

    /// confirmBooking (204; 409 when canceled, already confirmed or past).
    static func confirm(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let index = try state.resolveBooking(request)
        let fields = try request.fields()
        fields.only(["confirmed_by"])
        _ = fields.choice("confirmed_by", ["user", "admin"], required: true)
        try fields.validation.check()
        let booking = state.bookings[index]
        guard booking.isBooked else {
            let moved = booking.newestID.map { $0 != booking.id } ?? false
            throw HTTPResponseError(APIReply.problem(409, moved ? "Visit has been deleted" : "Visit has been canceled"))
        }
        guard !booking.confirmed else {
            throw HTTPResponseError(APIReply.problem(409, "Visit has already been confirmed"))
        }
        guard booking.start > request.date else {
            throw HTTPResponseError(APIReply.problem(409, "Visit is in the past"))
        }
        state.bookings[index].confirmed = true
        return APIReply.empty(204)
    }

    /// markPatientPresence / markPatientAbsence (204; 409 canceled; 400 visit in the future).
    static func presence(_ request: APIRequest, _ state: inout SimulatorState, _ value: String)
        throws(HTTPResponseError)
        -> HTTPResponse
    {
        let index = try state.resolveBooking(request)
        let booking = state.bookings[index]
        guard booking.isBooked else { throw HTTPResponseError(APIReply.problem(409, "Visit is marked as canceled")) }
        guard booking.start <= request.date else {
            throw HTTPResponseError(APIReply.problem(400, "Visit is in the future"))
        }
        state.bookings[index].presence = value
        return APIReply.empty(204)
    }
}
