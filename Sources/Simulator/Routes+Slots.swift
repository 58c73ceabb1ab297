import DocplannerAPI
import Foundation
import HTTP1

/// Available slots: reading, replacing, deleting, and booking one. The calendar holds
/// bookable units (`SlotUnit`), not the ranges that were sent.
enum SlotRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"
    /// Slots may be fed at most this far ahead (`SlotsFromFurtherThen12Weeks`).
    static let horizon: Double = 12 * 7 * 86400
    /// `getSlots` covers at most this range (changelog 1.9.3, `DateRangeExceedsMaximum`).
    static let maximumRange: Double = 180 * 86400
    /// `PutSlotsValidationError`: "Slots comes from different days".
    static let differentDays = "Slots comes from different days"

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", address + "/slots", state: list)
        gateway.add(&router, "PUT", address + "/slots", state: replace)
        gateway.add(&router, "DELETE", address + "/slots/:date", state: deleteDay)
        gateway.add(&router, "POST", address + "/slots/:start/book", state: book)
    }

    /// getSlots?start&end (≤ 180 days; `slot.services`): the starts of free units in
    /// `start ..< end`, each with the address services bookable there; 404 "No slots found on
    /// given address" (`NoSlotsOnAddress`) when there are none.
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
        guard !found.isEmpty else { throw HTTPResponseError(APIReply.problem(404, APIReply.noSlots)) }
        let withServices = request.scopes.contains("slot.services")
        let rendered = found.map { slot in
            Slot(
                start: request.text(slot.start),
                addressServices: withServices
                    ? ItemList(
                        slot.units.compactMap { state.addressService($0.addressServiceID) }.map { state.render($0) })
                    : nil)
        }
        return APIReply.json(ItemList(rendered))
    }

    /// replaceSlots (201). "Overrides all existing slots for given date ranges" and a range
    /// whose `address_services` is null or empty "will remove all the slots from a given time
    /// range" (integrations-api.yml `replaceSlots`, `ReplaceSlotsRequest.slots[].address_services`):
    /// the units starting inside a range sent (`start ..< end`) are removed and the range's
    /// new units added; units outside the ranges stay. The slots of one request come from one
    /// day (`PutSlotsValidationError`). A duplicate (same address and payload) is refused with
    /// 429 while "processing" and ignored with 201 for 3 minutes after (`replaceSlots`).
    /// Lenient: a request may span days, and each day a range starts on is cleared whole.
    static func replace(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let index = try CalendarRoutes.editableCalendar(request, state)
        let address = state.addresses[index]
        let ranges = try readRanges(request, state: state, address: address)

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

        if request.lenient {
            let days = ranges.map(\.day)
            state.slots[address.id]?.removeAll { unit in days.contains { unit.start >= $0.start && unit.start < $0.end }
            }
        } else {
            for range in ranges {
                state.slots[address.id]?.removeAll { $0.start >= range.start && $0.start < range.end }
            }
        }
        // A unit sent twice (overlapping ranges) counts once, as sent last.
        var added: [SlotUnit] = []
        for unit in ranges.flatMap(\.units) {
            added.removeAll { $0.start == unit.start && $0.addressServiceID == unit.addressServiceID }
            added.append(unit)
        }
        state.slots[address.id, default: []] += added
        return APIReply.empty(201)
    }

    /// deleteSlots/{YYYY-MM-DD} (204): removes every unit starting that day in the
    /// calendars' time zone ("Delete slots for the given date").
    static func deleteDay(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
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

    /// bookSlot/{start}/book → 200 with the booking. 404 with the document's messages when
    /// the address takes no bookings (`UnableToBookForAddress`), the address service is not
    /// the address's (`ServiceDoesNotExist`), no free unit starts then
    /// (`UnableToPerformBookingWithSlot`) or none offers the service
    /// (`UnableToPerformBookingWithService`). The body is a BookSlotRequest.
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
        let fields = try request.fields()
        fields.only([
            "address_service_id", "is_returning", "patient", "duration", "label", "comment", "insurance_provider_id",
            "insurance_plan_id", "is_recurring",
        ])
        let serviceID = fields.id("address_service_id", required: true)
        let duration = fields.int("duration", required: true, minimum: 1)
        let patient = PatientFields.read(fields.object("patient", required: true))
        let isReturning = fields.bool("is_returning")
        let comment = fields.string("comment", nullable: true)
        let label = fields.string("label", nullable: true)
        let providerID = fields.id("insurance_provider_id", nullable: true)
        let planID = fields.id("insurance_plan_id", nullable: true)
        _ = fields.bool("is_recurring")
        try fields.validation.check()

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
                throw HTTPResponseError(
                    APIReply.problem(400, "Insurance provider \(providerID) is not accepted at this address"))
            }
            let plan = planID.flatMap { id in provider.plans.first { $0.id == id } }
            if planID != nil && plan == nil {
                throw HTTPResponseError(
                    APIReply.problem(400, "Insurance plan \(planID!) does not belong to the provider"))
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

    /// One checked range of a ReplaceSlotsRequest, the day it starts on (in the offset its
    /// start was written with), and its units.
    struct SlotRange {
        var start: Date
        var end: Date
        var day: (start: Date, end: Date)
        var units: [SlotUnit]
    }

    /// The members of `ReplaceSlotsRequest` and of its `slots[]` and `address_services[]`
    /// items (integrations-api.yml `components.schemas.ReplaceSlotsRequest`).
    static let requestMembers: Set<String> = ["slots"]
    static let slotMembers: Set<String> = [
        "address_services", "start", "end", "insurance_accepted", "insurance_providers",
    ]
    static let offerMembers: Set<String> = ["address_service_id", "duration"]

    /// Reads and checks a ReplaceSlotsRequest: field problems first (400 "Invalid
    /// arguments"), then one day per request, then each slot's rules.
    static func readRanges(
        _ request: APIRequest, state: SimulatorState, address: SimulatorState.AddressRecord
    ) throws(HTTPResponseError) -> [SlotRange] {
        let fields = try request.fields()
        let validation = fields.validation
        fields.only(requestMembers)
        guard let elements = fields.array("slots", required: true) else { throw validation.failure! }
        if elements.isEmpty { validation.add("slots", BodyValidation.blank) }
        var parsed:
            [(
                start: (date: Date, text: String), end: (date: Date, text: String), offers: [SlotUnit.Offer],
                accepted: String, providers: [Int]
            )] = []
        for (position, element) in elements.enumerated() {
            guard let slot = fields.element(element, of: "slots", at: position) else { continue }
            slot.only(slotMembers)
            let start = slot.dateTime("start", required: true)
            let end = slot.dateTime("end", required: true)
            var offers: [SlotUnit.Offer] = []
            for (offerIndex, offerValue) in (slot.array("address_services", nullable: true) ?? []).enumerated() {
                guard let offer = slot.element(offerValue, of: "address_services", at: offerIndex) else { continue }
                offer.only(offerMembers)
                let id = offer.id("address_service_id", required: true)
                let duration = offer.int("duration", required: true, minimum: 1)
                if let id, let duration, duration >= 1 {
                    offers.append(.init(addressServiceID: id, duration: duration))
                }
            }
            let accepted =
                slot.choice(
                    "insurance_accepted",
                    ["with-and-without-insurance", "without-insurance-only", "with-insurance-only"],
                    nullable: true) ?? "with-and-without-insurance"
            var providers: [Int] = []
            for (providerIndex, value) in (slot.array("insurance_providers", nullable: true) ?? []).enumerated() {
                if case .int(let id) = value {
                    providers.append(Int(id))
                } else {
                    validation.add("\(slot.path).insurance_providers[\(providerIndex)]", BodyValidation.type("integer"))
                }
            }
            guard let start, let end else { continue }
            parsed.append((start, end, offers, accepted, providers))
        }
        try validation.check()
        if !request.lenient && Set(parsed.map { dayText(of: $0.start.text) }).count > 1 {
            throw HTTPResponseError(APIReply.problem(400, differentDays))
        }
        var ranges: [SlotRange] = []
        for (position, slot) in parsed.enumerated() {
            if let semantic = check(
                position: position, start: slot.start, end: slot.end, offers: slot.offers, accepted: slot.accepted,
                providers: slot.providers, request: request, state: state, address: address, validation: validation)
            {
                try validation.check()
                throw semantic
            }
            ranges.append(
                SlotRange(
                    start: slot.start.date, end: slot.end.date, day: day(of: slot.start),
                    units: SlotUnit.units(
                        from: slot.start.date, to: slot.end.date, offers: slot.offers, insuranceAccepted: slot.accepted,
                        insuranceProviders: slot.providers)))
        }
        try validation.check()
        return ranges
    }

    /// The rules of one slot: ≥ 1 minute (`SlotDurationIsLessThanOneMinute`), within one day
    /// (`SlotExceedsSingleDayBoundary`), ≤ 12 weeks ahead (`SlotsFromFurtherThen12Weeks`),
    /// address services of the address (`AddressServiceDoesNotExist`), insurance consistent
    /// (`InsuranceProvidersMissing`, `InsuranceProvidersNotSupported`,
    /// `InsuranceProviderDoesNotExist`). Field problems go to `validation`; others are returned.
    private static func check(
        position: Int, start: (date: Date, text: String), end: (date: Date, text: String),
        offers: [SlotUnit.Offer], accepted: String, providers: [Int], request: APIRequest,
        state: SimulatorState, address: SimulatorState.AddressRecord, validation: BodyValidation
    ) -> HTTPResponseError? {
        if end.date.timeIntervalSince(start.date) < 60 {
            validation.add(
                "slots[\(position)].minimumDifferenceBetweenDates",
                "The end date must be at least 1 minute after the start date")
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
            validation.add(
                "slots[\(position)].end", "End date should be less than or equal to \(formatter.string(from: limit)).")
            return nil
        }
        let offered = state.addressServices.filter { $0.addressID == address.id }.map(\.id)
        if offers.contains(where: { !offered.contains($0.addressServiceID) }) {
            return HTTPResponseError(APIReply.problem(400, "Address service does not exist"))
        }
        if accepted == "with-insurance-only" && providers.isEmpty {
            return HTTPResponseError(
                APIReply.problem(
                    400, "Slot requires insurance (with-insurance-only), but insurance providers are missing"))
        }
        if accepted == "without-insurance-only" && !providers.isEmpty {
            return HTTPResponseError(
                APIReply.problem(
                    400,
                    "Insurance providers are not supported. Slot does not allow insurances (without-insurance-only)"))
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
        calendar.timeZone =
            TimeZone(secondsFromGMT: DateOffset.seconds(in: start.text) ?? 0) ?? TimeZone(secondsFromGMT: 0)!
        let dayStart = calendar.startOfDay(for: start.date)
        return (dayStart, calendar.date(byAdding: .day, value: 1, to: dayStart)!)
    }

    /// The date a start was written with (`2027-01-20` of `2027-01-20T09:00:00+01:00`): the
    /// day in its own offset.
    static func dayText(of text: String) -> Substring { text.prefix(10) }
}
