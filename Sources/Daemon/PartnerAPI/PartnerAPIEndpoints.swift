import Dispatch
import DocplannerAPI
import Foundation
import HTTP1
import Partner

/// The admin listener's `/v1` API, through which a partner reports its own changes (see
/// docs/v1-api.md, "The /v1 partner API"). Every request needs `Authorization: Bearer
/// <listen.admin.token>`; without a configured token the API is off. Each write is one
/// clinic-side transaction on the calendar file (`EmbeddedPartner+ClinicWrites`), so the
/// change-log triggers and outbound sync take it exactly as a clinic's own edit.
///
/// The token is checked on the event loop; the calendar is read and written on one
/// serial queue, so a busy database never stalls the listener.
struct PartnerAPIEndpoints: Sendable {
    let calendar: EmbeddedPartner
    let token: String?
    /// Times in answers are written in this zone (the clinic's).
    let timeZone: TimeZone
    private let queue = DispatchQueue(label: "dpbridge.partner-api")

    /// The tenant whose token opens the API.
    var tenant = OperatorTarget.defaultTenant

    init(calendar: EmbeddedPartner, token: String?, timeZone: TimeZone, tenant: String = OperatorTarget.defaultTenant) {
        self.tenant = tenant
        self.calendar = calendar
        self.token = token
        self.timeZone = timeZone
    }

    /// What a handler does off the event loop: reads the request, answers.
    typealias Work = @Sendable (HTTPRequest) -> HTTPResponse

    func register(on router: inout Router) {
        guard let token, !token.isEmpty else {
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                router.add(method, "/v1/*") { _, responder in
                    responder.respond(
                        JSONResponses.error(
                            status: 404, "the /v1 partner API is off: set listen.admin.token to enable it"))
                }
            }
            return
        }
        add(&router, "POST", "/v1/bookings", createBooking)
        add(&router, "GET", "/v1/bookings/:id", getBooking)
        add(&router, "PATCH", "/v1/bookings/:id", editBooking)
        add(&router, "DELETE", "/v1/bookings/:id", deleteBooking)
        add(&router, "PUT", "/v1/working-hours/:facility/:doctor/:address", putWorkingHours)
        add(&router, "PUT", "/v1/day-slots/:facility/:doctor/:address/:day", putDaySlots)
        add(&router, "DELETE", "/v1/day-slots/:facility/:doctor/:address/:day", deleteDaySlots)
        add(&router, "POST", "/v1/breaks", createBreak)
        add(&router, "GET", "/v1/breaks/:id", getBreak)
        add(&router, "PATCH", "/v1/breaks/:id", moveBreak)
        add(&router, "DELETE", "/v1/breaks/:id", deleteBreak)
        add(&router, "GET", "/v1/catalog", getCatalog)
        add(&router, "PUT", "/v1/catalog", putCatalog)
    }

    private func add(_ router: inout Router, _ method: String, _ pattern: String, _ work: @escaping Work) {
        let authorization = AdminAuthorization(token: token, tenant: tenant)
        router.add(method, pattern) { [queue] request, responder in
            if let refusal = authorization.refusal(request) {
                responder.respond(refusal)
                return
            }
            queue.async { responder.respond(work(request)) }
        }
    }

    // MARK: - Bookings

    private func createBooking(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try calendar.insertClinicBooking(try PartnerAPIRequests.newBooking(request.body))
            return JSONResponses.json(status: 201, .object(["id": .int(id)]))
        }
    }

    private func getBooking(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "booking")
            guard let booking = try calendar.clinicBooking(rowID: id) else {
                throw APIError.notFound("no booking \(id)")
            }
            return JSONResponses.json(status: 200, bookingJSON(booking))
        }
    }

    private func editBooking(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "booking")
            let edit = try PartnerAPIRequests.bookingEdit(request.body)
            guard try calendar.updateClinicBooking(rowID: id, edit), let booking = try calendar.clinicBooking(rowID: id)
            else { throw APIError.notFound("no booking \(id)") }
            return JSONResponses.json(status: 200, bookingJSON(booking))
        }
    }

    private func deleteBooking(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "booking")
            guard try calendar.deleteClinicBooking(rowID: id) else { throw APIError.notFound("no booking \(id)") }
            return HTTPResponse(status: 204)
        }
    }

    // MARK: - Availability

    private func putWorkingHours(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let rows = try PartnerAPIRequests.workingHours(request.body)
            try calendar.replaceWorkingHours(calendarRef(request), rows)
            return JSONResponses.json(status: 200, .object(["rows": .int(Int64(rows.count))]))
        }
    }

    private func putDaySlots(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let day = try PartnerAPIRequests.day(request.pathParameters["day"] ?? "")
            let rows = try PartnerAPIRequests.daySlots(request.body)
            try calendar.replaceDaySlots(calendarRef(request), day: day, rows)
            return JSONResponses.json(
                status: 200, .object(["rows": .int(Int64(rows.count)), "closed": .bool(rows.isEmpty)]))
        }
    }

    private func deleteDaySlots(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let day = try PartnerAPIRequests.day(request.pathParameters["day"] ?? "")
            try calendar.replaceDaySlots(calendarRef(request), day: day, nil)
            return HTTPResponse(status: 204)
        }
    }

    // MARK: - Breaks

    private func createBreak(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try calendar.insertClinicBreak(try PartnerAPIRequests.newBreak(request.body))
            return JSONResponses.json(status: 201, .object(["id": .int(id)]))
        }
    }

    private func getBreak(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "break")
            guard let item = try calendar.clinicBreak(rowID: id) else { throw APIError.notFound("no break \(id)") }
            return JSONResponses.json(status: 200, breakJSON(item))
        }
    }

    private func moveBreak(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "break")
            let (since, till) = try PartnerAPIRequests.breakMove(request.body)
            guard try calendar.moveClinicBreak(rowID: id, since: since, till: till),
                let item = try calendar.clinicBreak(rowID: id)
            else { throw APIError.notFound("no break \(id)") }
            return JSONResponses.json(status: 200, breakJSON(item))
        }
    }

    private func deleteBreak(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let id = try rowID(request, "break")
            guard try calendar.deleteClinicBreak(rowID: id) else { throw APIError.notFound("no break \(id)") }
            return HTTPResponse(status: 204)
        }
    }

    // MARK: - Catalog

    private func getCatalog(_ request: HTTPRequest) -> HTTPResponse {
        answer { JSONResponses.json(status: 200, CatalogJSON.json(try calendar.catalog())) }
    }

    /// Replaces the whole catalog; a body with any problem changes nothing.
    private func putCatalog(_ request: HTTPRequest) -> HTTPResponse {
        answer {
            let catalog = try CatalogJSON.catalog(request.body)
            try calendar.replaceCatalog(catalog)
            let accepted = catalog.locationInsurances.values.reduce(0) { $0 + $1.count }
            let acceptedPlans = catalog.locationInsurancePlans.values.reduce(0) { $0 + $1.count }
            return JSONResponses.json(
                status: 200,
                .object([
                    "facilities": .int(Int64(catalog.facilities.count)), "doctors": .int(Int64(catalog.doctors.count)),
                    "locations": .int(Int64(catalog.locations.count)), "services": .int(Int64(catalog.services.count)),
                    "insurances": .int(Int64(catalog.insurances.count)), "offers": .int(Int64(catalog.offers.count)),
                    "insurance_plans": .int(Int64(catalog.insurancePlans.count)),
                    "location_insurances": .int(Int64(accepted)),
                    "location_insurance_plans": .int(Int64(acceptedPlans)),
                ]))
        }
    }

    // MARK: - Helpers

    enum APIError: Error {
        case notFound(String)
    }

    /// Runs `body`, mapping its errors to answers: a bad body 400 naming the field,
    /// an unknown id 404, a calendar that cannot be written 503.
    private func answer(_ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch let error as FieldError {
            var fields: JSONObject = ["error": .string(error.description)]
            if !error.field.isEmpty { fields["field"] = .string(error.field) }
            return JSONResponses.json(status: 400, .object(fields))
        } catch APIError.notFound(let message) {
            return JSONResponses.error(status: 404, message)
        } catch {
            return JSONResponses.error(status: 503, "the calendar cannot be written now: \(error)")
        }
    }

    private func rowID(_ request: HTTPRequest, _ what: String) throws -> Int64 {
        guard let text = request.pathParameters["id"], let id = Int64(text), id > 0 else {
            throw APIError.notFound("no \(what) \(request.pathParameters["id"] ?? "")")
        }
        return id
    }

    private func calendarRef(_ request: HTTPRequest) -> CalendarRef {
        CalendarRef(
            facilityID: request.pathParameters["facility"] ?? "", doctorID: request.pathParameters["doctor"] ?? "",
            addressID: request.pathParameters["address"] ?? "")
    }

    private func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return .string(formatter.string(from: date))
    }

    private func bookingJSON(_ b: ClinicBooking) -> JSONValue {
        .object([
            "id": .int(b.rowID), "docplanner_booking_id": .text(b.docplannerID),
            "facility_id": .string(b.calendar.facilityID), "doctor_id": .string(b.calendar.doctorID),
            "address_id": .string(b.calendar.addressID), "start": time(b.start), "end": time(b.end),
            "address_service_id": .text(b.addressServiceID),
            "patient": b.patient.map {
                .object([
                    "name": .text($0.name), "surname": .text($0.surname), "email": .text($0.email),
                    "phone": .text($0.phone),
                ])
            } ?? .null,
            "comment": .text(b.comment), "status": .string(b.status.rawValue), "confirmed": .bool(b.confirmed),
            "presence": .text(b.presence),
            // Whether Docplanner holds what the row says (false while a change is on its way).
            "synced": .bool(
                b.docplannerID != nil && b.syncedStatus == b.status && b.syncedStart == b.start
                    && b.syncedConfirmed == b.confirmed && b.syncedPresence == b.presence),
        ])
    }

    private func breakJSON(_ b: ClinicBreak) -> JSONValue {
        .object([
            "id": .int(b.rowID), "docplanner_break_id": .text(b.docplannerID),
            "facility_id": .string(b.calendar.facilityID), "doctor_id": .string(b.calendar.doctorID),
            "address_id": .string(b.calendar.addressID), "since": time(b.since), "till": time(b.till),
            "deleted": .bool(b.deleted),
            "synced": .bool(
                b.docplannerID != nil && b.syncedSince == b.since && b.syncedTill == b.till
                    && b.syncedDeleted == b.deleted),
        ])
    }
}
