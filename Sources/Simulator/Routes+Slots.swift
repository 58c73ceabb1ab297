import DocplannerAPI
import Foundation
import HTTP1

/// Available slots: reading, replacing, deleting, and booking one.
enum SlotRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"
    /// Slots may be fed at most this far ahead.
    static let horizon: Double = 12 * 7 * 86400
    /// `getSlots` covers at most this range.
    static let maximumRange: Double = 180 * 86400

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", address + "/slots", state: list)
        gateway.add(&router, "PUT", address + "/slots", state: replace)
        gateway.add(&router, "DELETE", address + "/slots/:date", state: deleteDay)
        gateway.add(&router, "POST", address + "/slots/:start/book", state: book)
    }

    /// getSlots?start&end (≤ 180 days; `slot.services`); 404 when there are none.
    static func list(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let start = try CalendarRoutes.requiredDate(request, "start")
        let end = try CalendarRoutes.requiredDate(request, "end")
        guard end >= start else { throw HTTPResponseError(APIReply.problem(400, "Invalid date range")) }
        guard end.timeIntervalSince(start) <= maximumRange else {
            throw HTTPResponseError(APIReply.problem(400, "Date range must not exceed 180 days"))
        }
        let address = state.addresses[index]
        let found = address.calendarEnabled ? state.availableSlots(address: address.id, from: start, to: end) : []
        guard !found.isEmpty else { throw HTTPResponseError(APIReply.problem(404, "No slots found on given address")) }
        let withServices = request.scopes.contains("slot.services")
        let rendered = found.map { slot in
            Slot(
                start: request.text(slot.start),
                addressServices: withServices
                    ? ItemList(slot.services.compactMap { state.addressService($0.addressServiceID) }.map { state.render($0) })
                    : nil)
        }
        return APIReply.json(ItemList(rendered))
    }

    /// replaceSlots (201): the given windows replace every slot on the days they cover.
    /// A duplicate payload is refused (429) while "processing" and ignored for 3 minutes after.
    static func replace(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try CalendarRoutes.editableCalendar(request, state)
        let address = state.addresses[index]
        let windows = try readWindows(request, state: state, address: address)

        let key = "\(address.id)|\(String(decoding: request.body, as: UTF8.self))"
        state.recentReplaces = state.recentReplaces.filter { request.now < $0.value.ignoredUntil }
        if let recent = state.recentReplaces[key] {
            if request.now < recent.processedAt {
                throw HTTPResponseError(APIReply.problem(429, "The same slots are still being processed"))
            }
            return APIReply.empty(201)
        }
        let processedAt = request.now + max(0, state.replaceProcessingTime)
        state.recentReplaces[key] = .init(processedAt: processedAt, ignoredUntil: processedAt + 180)

        let days = windows.map(\.day)
        state.slots[address.id, default: []].removeAll { window in
            days.contains { window.start >= $0.start && window.start < $0.end }
        }
        state.slots[address.id, default: []] += windows.map(\.window).filter { !$0.services.isEmpty }
        state.slots[address.id]?.sort { $0.start < $1.start }
        return APIReply.empty(201)
    }

    /// deleteSlots/{YYYY-MM-DD} (204): removes the day's slots.
    static func deleteDay(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try CalendarRoutes.editableCalendar(request, state)
        let text = request[parameter: "date"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = request.timeZone
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.utf8.count == 10, parts.count == 3,
            let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            DocplannerDateTime.formatDay(day, timeZone: request.timeZone) == text
        else {
            throw HTTPResponseError(APIReply.problem(400, "Invalid date given."))
        }
        let next = calendar.date(byAdding: .day, value: 1, to: day)!
        state.slots[state.addresses[index].id]?.removeAll { $0.start >= day && $0.start < next }
        return APIReply.empty(204)
    }

    /// bookSlot/{start}/book → 200 with the booking (404 when the slot or service is not offered).
    static func book(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let startText = request[parameter: "start"]
        guard let start = DocplannerDateTime.parse(startText) else {
            throw HTTPResponseError(APIReply.problem(400, "Invalid date given."))
        }
        try state.requireCommercial(index)
        let address = state.addresses[index]
        guard address.calendarEnabled else {
            throw HTTPResponseError(APIReply.problem(404, "Unable to book a visit for this address"))
        }
        let validation = BodyValidation()
        let fields = BodyFields(try request.jsonObject().get(), validation: validation)
        let serviceID = fields.id("address_service_id", required: true)
        let duration = fields.int("duration", required: true, minimum: 1)
        let patient = PatientFields.read(fields.object("patient", required: true))
        let isReturning = fields.bool("is_returning")
        let comment = fields.string("comment")
        let label = fields.string("label")
        let providerID = fields.id("insurance_provider_id")
        let planID = fields.id("insurance_plan_id")
        _ = fields.bool("is_recurring")
        try validation.check()

        guard let service = state.addressService(serviceID!), service.addressID == address.id else {
            throw HTTPResponseError(APIReply.problem(404, "Service does not exist"))
        }
        if let problem = state.slotProblem(
            address: address.id, start: start, service: service.id, duration: duration!, startText: startText)
        {
            throw HTTPResponseError(APIReply.problem(404, problem))
        }
        var insurance: Insurance? = nil
        if let providerID {
            guard let provider = state.provider(providerID),
                state.addressInsurance.contains(where: { $0.addressID == address.id && $0.providerID == providerID })
            else {
                throw HTTPResponseError(APIReply.problem(400, "Insurance provider \(providerID) is not accepted at this address"))
            }
            let plan = planID.flatMap { id in provider.plans.first { $0.id == id } }
            if planID != nil && plan == nil {
                throw HTTPResponseError(APIReply.problem(400, "Insurance plan \(planID!) does not belong to the provider"))
            }
            insurance = Insurance(id: provider.id, name: provider.name, plan: plan?.name, planID: plan?.id)
        }
        var bookedPatient = patient!
        bookedPatient.isReturning = isReturning ?? false
        let booking = SimulatorState.BookingRecord(
            id: state.makeID(), facilityID: address.facilityID, doctorID: address.doctorID, addressID: address.id,
            status: "booked", start: start, duration: duration!, bookedBy: "integration", bookedAt: request.date,
            addressServiceID: service.id, patient: bookedPatient, comment: comment, label: label, insurance: insurance)
        state.bookings.append(booking)
        return APIReply.json(200, state.render(booking, timeZone: request.timeZone, full: true))
    }

    // MARK: - ReplaceSlotsRequest

    /// One checked slot of a ReplaceSlotsRequest and the day it falls on.
    struct ParsedWindow {
        var window: SimulatorState.SlotWindow
        var day: (start: Date, end: Date)
    }

    static func readWindows(
        _ request: APIRequest, state: SimulatorState, address: SimulatorState.AddressRecord
    ) throws(HTTPResponseError) -> [ParsedWindow] {
        let validation = BodyValidation()
        let fields = BodyFields(try request.jsonObject().get(), validation: validation)
        guard let elements = fields.array("slots", required: true) else { throw validation.failure! }
        if elements.isEmpty { validation.add("slots", BodyValidation.blank) }
        var parsed: [ParsedWindow] = []
        var semantic: HTTPResponseError? = nil
        for (position, element) in elements.enumerated() {
            guard let slot = fields.element(element, of: "slots", at: position) else { continue }
            let start = slot.dateTime("start", required: true)
            let end = slot.dateTime("end", required: true)
            var offers: [SimulatorState.SlotWindow.ServiceOffer] = []
            for (offerIndex, offerValue) in (slot.array("address_services") ?? []).enumerated() {
                guard let offer = slot.element(offerValue, of: "address_services", at: offerIndex) else { continue }
                let id = offer.id("address_service_id", required: true)
                let duration = offer.int("duration", required: true, minimum: 1)
                if let id, let duration, duration >= 1 { offers.append(.init(addressServiceID: id, duration: duration)) }
            }
            let accepted = slot.choice(
                "insurance_accepted", ["with-and-without-insurance", "without-insurance-only", "with-insurance-only"])
                ?? "with-and-without-insurance"
            var providers: [Int] = []
            for (providerIndex, value) in (slot.array("insurance_providers") ?? []).enumerated() {
                if case .int(let id) = value {
                    providers.append(Int(id))
                } else {
                    validation.add("\(slot.path).insurance_providers[\(providerIndex)]", BodyValidation.type("integer"))
                }
            }
            guard let start, let end else { continue }
            guard semantic == nil else { continue }
            semantic = check(
                position: position, start: start, end: end, offers: offers, accepted: accepted, providers: providers,
                request: request, state: state, address: address, validation: validation)
            parsed.append(
                ParsedWindow(
                    window: .init(
                        start: start.date, end: end.date, services: offers, insuranceAccepted: accepted,
                        insuranceProviders: providers),
                    day: day(of: start)))
        }
        try validation.check()
        if let semantic { throw semantic }
        return parsed
    }

    /// The rules of one slot: ≥ 1 minute, within one day, ≤ 12 weeks ahead, known address
    /// services, insurance consistent. Field problems go to `validation`; others are returned.
    private static func check(
        position: Int, start: (date: Date, text: String), end: (date: Date, text: String),
        offers: [SimulatorState.SlotWindow.ServiceOffer], accepted: String, providers: [Int], request: APIRequest,
        state: SimulatorState, address: SimulatorState.AddressRecord, validation: BodyValidation
    ) -> HTTPResponseError? {
        if end.date.timeIntervalSince(start.date) < 60 {
            validation.add(
                "slots[\(position)].minimumDifferenceBetweenDates", "The end date must be at least 1 minute after the start date")
            return nil
        }
        if end.date > day(of: start).end {
            return HTTPResponseError(
                APIReply.problem(400, "Slot for date range \(start.text) - \(end.text) exceeds a single day boundary"))
        }
        let limit = Date(timeIntervalSince1970: request.now + horizon)
        if end.date > limit {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = request.timeZone
            formatter.dateFormat = "dd.MM.yyyy, HH:mm"
            validation.add("slots[\(position)].end", "End date should be less than or equal to \(formatter.string(from: limit)).")
            return nil
        }
        let offered = state.addressServices.filter { $0.addressID == address.id }.map(\.id)
        if offers.contains(where: { !offered.contains($0.addressServiceID) }) {
            return HTTPResponseError(APIReply.problem(400, "Address service does not exist"))
        }
        if accepted == "with-insurance-only" && providers.isEmpty {
            return HTTPResponseError(
                APIReply.problem(400, "Slot requires insurance (with-insurance-only), but insurance providers are missing"))
        }
        if accepted == "without-insurance-only" && !providers.isEmpty {
            return HTTPResponseError(
                APIReply.problem(
                    400, "Insurance providers are not supported. Slot does not allow insurances (without-insurance-only)"))
        }
        let known = state.addressInsurance.filter { $0.addressID == address.id }.map(\.providerID)
        let unknown = providers.filter { !known.contains(String($0)) }
        if !unknown.isEmpty {
            return HTTPResponseError(
                APIReply.problem(
                    400,
                    "Insurance provider(s) with id (\(unknown.map(String.init).joined(separator: ", "))) not found for address id (\(address.id))"
                ))
        }
        return nil
    }

    /// The day a slot starts on, in the offset its start was written with.
    static func day(of start: (date: Date, text: String)) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: DateOffset.seconds(in: start.text) ?? 0) ?? TimeZone(secondsFromGMT: 0)!
        let dayStart = calendar.startOfDay(for: start.date)
        return (dayStart, calendar.date(byAdding: .day, value: 1, to: dayStart)!)
    }
}
