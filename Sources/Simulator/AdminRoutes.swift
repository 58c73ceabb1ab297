import DocplannerAPI
import Foundation
import HTTP1

/// The simulator's own API, for tests and demos acting on Docplanner's side: `POST /_sim/book`,
/// `/cancel`, `/move`, `/confirm`, `/presence`, `/payment`, `/breaks`, `/address-services`,
/// `/commercial-type`, `/calendar`, `/faults`, `/ping`, and `GET /_sim/state`, `/_sim/faults`. Bodies and
/// answers are JSON; actions answer once their callbacks were delivered.
enum AdminRoutes {
    static func register(_ core: SimulatorCore, on router: inout Router) {
        action(core, &router, "book") { fields throws(SimulatorCore.AdminError) in
            let addressID = fields.id("address_id", required: true)
            let start = fields.dateTime("start", required: true)
            let serviceID = fields.id("address_service_id")
            let duration = fields.int("duration", minimum: 1)
            let patient = PatientFields.read(fields.object("patient"))
            let comment = fields.string("comment")
            let party = fields.choice("booked_by", ["user", "doctor"]) ?? "user"
            try valid(fields)
            return try core.book(
                addressID: addressID!, start: start!, serviceID: serviceID, duration: duration, patient: patient,
                comment: comment, by: party)
        }
        action(core, &router, "cancel") { fields throws(SimulatorCore.AdminError) in
            let bookingID = fields.id("booking_id", required: true)
            let party = fields.choice("canceled_by", ["user", "doctor"]) ?? "user"
            try valid(fields)
            return try core.cancel(bookingID: bookingID!, by: party)
        }
        action(core, &router, "move") { fields throws(SimulatorCore.AdminError) in
            let bookingID = fields.id("booking_id", required: true)
            let start = fields.dateTime("start", required: true)
            let serviceID = fields.id("address_service_id")
            let duration = fields.int("duration", minimum: 1)
            let addressID = fields.id("address_id")
            let party = fields.choice("moved_by", ["user", "doctor"]) ?? "user"
            try valid(fields)
            return try core.move(
                bookingID: bookingID!, start: start!, serviceID: serviceID, duration: duration, addressID: addressID,
                by: party)
        }
        action(core, &router, "confirm") { fields throws(SimulatorCore.AdminError) in
            let bookingID = fields.id("booking_id", required: true)
            try valid(fields)
            return try core.confirm(bookingID: bookingID!)
        }
        action(core, &router, "presence") { fields throws(SimulatorCore.AdminError) in
            let bookingID = fields.id("booking_id", required: true)
            let presence = fields.choice("presence", ["PRESENT", "ABSENT", "present", "absent"], required: true)
            try valid(fields)
            return try core.markPresence(bookingID: bookingID!, present: presence!.lowercased() == "present")
        }
        action(core, &router, "payment") { fields throws(SimulatorCore.AdminError) in
            let bookingID = fields.id("booking_id", required: true)
            let status = fields.choice(
                "status", ["paid", "not-paid", "waiting_for_confirmation", "refunded", "charged_back"], required: true)
            try valid(fields)
            return try core.changePayment(bookingID: bookingID!, to: status!)
        }
        action(core, &router, "breaks") { fields throws(SimulatorCore.AdminError) in
            let action = fields.choice("action", ["create", "move", "remove"], required: true)
            let addressID = fields.id("address_id")
            let breakID = fields.id("break_id")
            let since = fields.dateTime("since")
            let till = fields.dateTime("till")
            let description = fields.string("description")
            try valid(fields)
            return try core.changeBreak(
                action: action!, addressID: addressID, breakID: breakID, since: since?.date, till: till?.date,
                description: description)
        }
        action(core, &router, "address-services") { fields throws(SimulatorCore.AdminError) in
            let action = fields.choice("action", ["create", "change", "delete"], required: true)
            let addressID = fields.id("address_id")
            let addressServiceID = fields.id("address_service_id")
            let serviceID = fields.id("service_id")
            let price: Double?? = fields.members.keys.contains("price") ? .some(fields.number("price")) : nil
            let description = fields.string("description")
            let isVisible = fields.bool("is_visible")
            let duration = fields.int("default_duration", minimum: 1)
            try valid(fields)
            return try core.changeAddressService(
                action: action!, addressID: addressID, addressServiceID: addressServiceID, serviceID: serviceID,
                price: price, description: description, isVisible: isVisible, defaultDuration: duration)
        }
        action(core, &router, "commercial-type") { fields throws(SimulatorCore.AdminError) in
            let addressID = fields.id("address_id", required: true)
            let type = fields.choice("commercial_type", ["premium", "saas-only", "basic"], required: true)
            try valid(fields)
            return try core.changeCommercialType(addressID: addressID!, to: type!)
        }

        action(core, &router, "calendar") { fields throws(SimulatorCore.AdminError) in
            let addressID = fields.id("address_id", required: true)
            let status = fields.choice("status", ["enabled", "disabled", "missing"], required: true)
            try valid(fields)
            return try core.setCalendar(addressID: addressID!, to: SimulatorState.CalendarStatus(rawValue: status!)!)
        }

        router.add("GET", "/_sim/state") { _, responder in
            responder.respond(APIReply.admin(200, core.snapshot()))
        }
        router.add("GET", "/_sim/faults") { _, responder in
            responder.respond(APIReply.admin(200, core.faults.plan))
        }
        router.add("POST", "/_sim/faults") { request, responder in
            let body = request.body.isEmpty ? Data("{}".utf8) : Data(request.body)
            guard let plan = try? JSONDecoder().decode(SimulatorFaults.self, from: body) else {
                responder.respond(APIReply.admin(400, ["error": "the body must be a fault plan (JSON object)"]))
                return
            }
            core.faults.set(plan)
            if let object = try? JSONDecoder().decode([String: JSONValue].self, from: body),
                object["expire_tokens"] == .bool(true)
            {
                core.tokens.expireAll(now: core.clock.now())
            }
            core.logger.notice(
                "faults set",
                metadata: ["event": "faults", "plan": "\(String(decoding: APIReply.encode(plan), as: UTF8.self))"])
            responder.respond(APIReply.admin(200, plan))
        }
        router.add("POST", "/_sim/ping") { _, responder in
            core.actions.async {
                guard let pings = core.pings else {
                    responder.respond(APIReply.admin(409, ["error": "no callback URL is configured"]))
                    return
                }
                let alive = pings.ping()
                responder.respond(APIReply.admin(200, ["alive": alive]))
            }
        }
    }

    /// Registers `POST /_sim/<name>`: its body is read by `body`, on the action queue.
    private static func action(
        _ core: SimulatorCore, _ router: inout Router, _ name: String,
        _ body: @escaping @Sendable (BodyFields) throws(SimulatorCore.AdminError) -> SimulatorCore.AdminOutcome
    ) {
        router.add("POST", "/_sim/\(name)") { request, responder in
            core.actions.async {
                let parsed: [String: JSONValue]
                if request.body.isEmpty {
                    parsed = [:]
                } else if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)),
                    case .object(let object) = value
                {
                    parsed = object.dictionary
                } else {
                    responder.respond(APIReply.admin(400, ["error": "the body must be a JSON object"]))
                    return
                }
                do throws(SimulatorCore.AdminError) {
                    let outcome = try body(BodyFields(parsed, validation: BodyValidation()))
                    responder.respond(APIReply.admin(200, outcome))
                } catch {
                    responder.respond(APIReply.admin(error.status, ["error": error.message]))
                }
            }
        }
    }

    /// Turns field problems into one 400.
    private static func valid(_ fields: BodyFields) throws(SimulatorCore.AdminError) {
        let problems = fields.validation.errors
        guard problems.isEmpty else {
            let text = problems.keys.sorted().map { "\($0): \(problems[$0]!.joined(separator: " "))" }.joined(
                separator: "; ")
            throw SimulatorCore.AdminError(400, text)
        }
    }
}
