import Dispatch
import Foundation
import HTTP1
import Logging
import Partner
import Store

/// The admin listener's routes behind `dpbridge queue …`, `deadletters …`, `quarantine …`
/// and `erase` (GET reads, POST writes). Every request may name its tenant
/// (`?tenant=default`) and needs that tenant's `Authorization: Bearer <listen.admin.token>`
/// (without a token the routes are closed). Payloads are shown with patient fields redacted
/// unless the request asks for them (`?reveal=patient`). The store is read and written on
/// one serial queue, never on the event loop.
struct OperatorEndpoints: Sendable {
    let store: Store
    /// The clinic calendar (or the HTTP adapter's mirror) and its file, for `erase`.
    let calendar: EmbeddedPartner?
    let calendarPath: String?
    let authorization: AdminAuthorization
    /// New work is due in a queue (a retry, a replay): wakes its workers.
    let wake: @Sendable (QueueName) -> Void
    /// The tenant these routes serve (the daemon dispatches on `?tenant=`).
    let tenant: String
    private let queue = DispatchQueue(label: "dpbridge.operator")
    private let logger: Logger

    init(
        store: Store, calendar: EmbeddedPartner? = nil, calendarPath: String? = nil, token: String?,
        tenant: String = OperatorTarget.defaultTenant,
        logger: Logger = Logger(label: "dpbridge"), wake: @escaping @Sendable (QueueName) -> Void = { _ in }
    ) {
        self.store = store
        self.calendar = calendar
        self.calendarPath = calendarPath
        self.logger = logger
        self.tenant = tenant
        authorization = AdminAuthorization(token: token, tenant: tenant)
        self.wake = wake
    }

    /// What a route does with the request once the tenant is known.
    typealias Work = @Sendable (OperatorActions, HTTPRequest, QueryParameters) throws(OperatorError) -> any Encodable

    func register(on router: inout Router) {
        add(&router, "GET", "/jobs") { actions, _, parameters throws(OperatorError) in
            try actions.list(JobQuery(parameters: parameters))
        }
        add(&router, "GET", "/jobs/:id") { actions, request, parameters throws(OperatorError) in
            try actions.show(
                id: Self.id(request), queue: Self.queue(parameters), revealPatient: parameters["reveal"] == "patient")
        }
        add(&router, "POST", "/jobs/:id/retry") { [wake] actions, request, parameters throws(OperatorError) in
            let report = try actions.retry(id: Self.id(request), queue: Self.queue(parameters))
            wake(report.queue)
            return report
        }
        add(&router, "POST", "/jobs/purge") { actions, request, _ throws(OperatorError) in
            try actions.purge(Self.selection(request), states: JobState.purgeable)
        }
        add(&router, "POST", "/deadletters/purge") { actions, request, _ throws(OperatorError) in
            try actions.purge(Self.selection(request), states: [.dead])
        }
        add(&router, "POST", "/deadletters/replay") { [wake] actions, request, _ throws(OperatorError) in
            let report = try actions.replay(Self.selection(request))
            Set(report.jobs.map(\.queue)).forEach(wake)
            return report
        }
        add(&router, "GET", "/quarantine") { actions, _, parameters throws(OperatorError) in
            try actions.quarantineList(limit: Self.limit(parameters))
        }
        add(&router, "GET", "/quarantine/:id") { actions, request, parameters throws(OperatorError) in
            try actions.quarantineShow(id: Self.id(request), revealPatient: parameters["reveal"] == "patient")
        }
        add(&router, "POST", "/quarantine/purge") { actions, request, _ throws(OperatorError) in
            try actions.quarantinePurge(
                Self.decode(QuarantineSelection.self, request, "{\"ids\": [...], \"all\": false}"))
        }
        add(&router, "POST", "/erase") { [logger] actions, request, _ throws(OperatorError) in
            let report = try actions.erase(
                Self.decode(ErasureRequest.self, request, "{\"phones\": [...], \"emails\": [...], \"apply\": false}"))
            // Counts only: the identifiers are the patient's data.
            logger.notice(
                report.erased ? "a patient's data was erased on request" : "a patient's data was searched (dry run)",
                metadata: [
                    "event": report.erased ? "patient-erased" : "patient-erase-dry-run",
                    "inbox_jobs": "\(report.inboxJobs)", "outbox_jobs": "\(report.outboxJobs)",
                    "quarantined": "\(report.quarantined)", "in_flight": "\(report.inFlight)",
                    "bookings": "\(report.bookings)",
                ])
            return report
        }
    }

    private func add(_ router: inout Router, _ method: String, _ pattern: String, _ work: @escaping Work) {
        router.add(method, pattern) { [store, queue, calendar, calendarPath, authorization] request, responder in
            if let refusal = authorization.refusal(request) {
                responder.respond(refusal)
                return
            }
            queue.async {
                do throws(OperatorError) {
                    let parameters = QueryParameters(request.query)
                    let actions = OperatorActions(
                        store: store, daemon: .running, tenant: tenant, calendar: calendar, calendarPath: calendarPath)
                    responder.respond(JSONResponses.encoded(status: 200, try work(actions, request, parameters)))
                } catch {
                    responder.respond(JSONResponses.error(status: error.httpStatus, error.description))
                }
            }
        }
    }

    private static func id(_ request: HTTPRequest) throws(OperatorError) -> Int64 {
        let text = request.pathParameters["id"] ?? ""
        guard let id = Int64(text), id > 0 else { throw .badArguments("an id is a positive number (not \"\(text)\")") }
        return id
    }

    private static func limit(_ parameters: QueryParameters) throws(OperatorError) -> Int? {
        try parameters["limit"].map { (text: String) throws(OperatorError) -> Int in
            guard let number = Int(text) else { throw .badArguments("limit must be a number (not \"\(text)\")") }
            return number
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ request: HTTPRequest, _ shape: String)
        throws(OperatorError)
        -> T
    {
        do {
            return try OperatorJSON.decode(type, from: Data(request.body))
        } catch {
            throw .badArguments("the body must be a JSON object \(shape): \(error)")
        }
    }

    private static func queue(_ parameters: QueryParameters) throws(OperatorError) -> QueueName? {
        try parameters["queue"].map { (name: String) throws(OperatorError) -> QueueName in try JobQuery.queue(name) }
    }

    private static func selection(_ request: HTTPRequest) throws(OperatorError) -> JobSelection {
        do {
            return try OperatorJSON.decode(JobSelection.self, from: Data(request.body))
        } catch {
            throw .badArguments("the body must be a JSON job selection {\"ids\": [...], \"all\": false, ...}: \(error)")
        }
    }
}
