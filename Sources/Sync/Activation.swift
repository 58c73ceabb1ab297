import DocplannerAPI
import Foundation
import Logging
import Partner
import Store

/// Docplanner's activation of a clinic, in its documented order: (1) the callback URL
/// answers, or PULL mode is set; (2) doctor profiles fed with mapped services and
/// insurances; (3) calendars fed with available slots; (4) all bookings synchronized
/// both ways over the horizon; (5) calendar breaks fed.
///
/// Every step runs even when an earlier one is red (each works on what is ready), and
/// each compares before it writes, so running activation again is safe and resumes
/// where a failure stopped it; with nothing changed it makes no write call.
package struct Activation: Sendable {
    let docplanner: DocplannerClient
    let store: Store
    let catalog: @Sendable () throws(PartnerError) -> ClinicCatalog
    let partner: any PartnerSystem & ClinicCalendar
    let horizonWeeks: Int
    let logger: Logger
    let now: @Sendable () -> Date

    package init(
        docplanner: DocplannerClient, store: Store,
        catalog: @escaping @Sendable () throws(PartnerError) -> ClinicCatalog,
        partner: any PartnerSystem & ClinicCalendar, horizonWeeks: Int, logger: Logger,
        now: @escaping @Sendable () -> Date = { SteadyClock().date() }
    ) {
        self.docplanner = docplanner
        self.store = store
        self.catalog = catalog
        self.partner = partner
        self.horizonWeeks = horizonWeeks
        self.logger = logger
        self.now = now
    }

    /// Runs steps 2–5 for `facilityID` (one doctor's addresses with `doctorID`), after
    /// `callbackStep`, which the caller checks (it needs the daemon's listener). The report
    /// is kept in the store as the facility's last (`ActivationRecord`).
    package func run(facilityID: String, doctorID: String?, callbackStep: ActivationReport.Step) -> ActivationReport {
        let checkedAt = now()
        let report = checkSteps(facilityID: facilityID, doctorID: doctorID, callbackStep: callbackStep)
        do {
            try ActivationRecord(checkedAt: checkedAt, report: report).keep(in: store)
        } catch {
            logger.warning(
                "the activation report could not be kept in the store: \(error)",
                metadata: ["event": "activation-report-not-kept", "facility_id": "\(facilityID)"])
        }
        return report
    }

    private func checkSteps(facilityID: String, doctorID: String?, callbackStep: ActivationReport.Step)
        -> ActivationReport
    {
        var steps = [callbackStep]
        let addresses: [DocplannerResource]
        do {
            addresses = try scope(facilityID: facilityID, doctorID: doctorID)
        } catch {
            let problem = ActivationProblem("\(error)", fix: "check the store and run dpbridge map discover")
            for (number, title) in Self.titles.dropFirst() {
                steps.append(.init(number: number, title: title, ok: false, summary: "not run", problems: [problem]))
            }
            return ActivationReport(facilityID: facilityID, doctorID: doctorID, steps: steps)
        }
        var ready: [CalendarRef] = []
        steps.append(profiles(facilityID: facilityID, addresses: addresses, ready: &ready))
        steps.append(perCalendar(3, ready, slots))
        steps.append(perCalendar(4, ready, bookings))
        steps.append(perCalendar(5, ready, breaks))
        return ActivationReport(facilityID: facilityID, doctorID: doctorID, steps: steps)
    }

    /// What one step did for one calendar.
    struct CalendarCheck {
        var writes: [String] = []
        var problems: [ActivationProblem] = []
        /// Counts for the summary (`"calendars fed"`: 1, `"repairs"`: 3, …).
        var counts: [String: Int] = [:]
    }

    /// Runs step `number` on each calendar on its own: a calendar that fails (Docplanner
    /// refuses, the clinic calendar is locked) is a problem of that calendar, and the
    /// others are still checked. A step that checked no calendar is not green.
    private func perCalendar(
        _ number: Int, _ calendars: [CalendarRef], _ check: (CalendarRef) throws(MappingError) -> CalendarCheck
    ) -> ActivationReport.Step {
        var writes: [String] = []
        var problems: [ActivationProblem] = []
        var counts: [String: Int] = [:]
        var checked = 0
        for c in calendars {
            do {
                let result = try check(c)
                writes += result.writes
                problems += result.problems
                counts.merge(result.counts, uniquingKeysWith: +)
                checked += 1
            } catch {
                problems.append(
                    .init(
                        "doctor \(c.doctorID) at address \(c.addressID): \(error)", fix: Self.fix(for: error)))
            }
        }
        if calendars.isEmpty {
            problems.append(
                .init(
                    "no calendar to check: no address with its doctor mapped",
                    fix: "map the addresses and doctors (step 2), then run dpbridge activate again"))
        }
        let details = counts.keys.sorted().map { "\(counts[$0] ?? 0) \($0)" }
        let summary = (["\(checked) of \(calendars.count) calendars checked"] + details + [Self.counted(writes)])
            .joined(separator: "; ")
        return .init(
            number: number, title: Self.title(number), ok: problems.isEmpty, summary: summary, problems: problems,
            writes: writes)
    }

    static let titles: [(Int, String)] = [
        (1, "callback URL configured and answering"),
        (2, "doctor profiles fed with mapped services and insurances"),
        (3, "calendars fed with available slots"),
        (4, "bookings synchronized both ways"),
        (5, "calendar breaks fed"),
    ]

    static func title(_ number: Int) -> String { titles.first { $0.0 == number }?.1 ?? "" }

    /// The discovered, present addresses of the facility (of one doctor).
    private func scope(facilityID: String, doctorID: String?) throws(MappingError) -> [DocplannerResource] {
        let resources = try MappingError.store { () throws(StoreError) in
            try store.mappings.list(kind: .address, facilityID: facilityID, includeVanished: false)
        }
        return resources.map(\.resource).filter { doctorID == nil || $0.doctorID == doctorID }
    }

    static func fix(for error: MappingError) -> String {
        switch error {
        case .docplanner(let error):
            switch error.disposition {
            case .retry, .retryAfter, .reauthenticate: "run dpbridge activate again; it resumes where it stopped"
            case .permanent: "correct what Docplanner refused, then run dpbridge activate again"
            }
        case .store: "check the store file and its permissions, then run dpbridge activate again"
        case .partner: "check the clinic calendar (is it locked or unreadable?), then run dpbridge activate again"
        }
    }

    // MARK: - 2. Profiles

    private func profiles(
        facilityID: String, addresses: [DocplannerResource], ready: inout [CalendarRef]
    ) -> ActivationReport.Step {
        var problems: [ActivationProblem] = []
        var writes: [String] = []
        let number = 2
        do {
            if addresses.isEmpty {
                problems.append(
                    .init(
                        "no addresses of facility \(facilityID) were discovered",
                        fix: "dpbridge map discover (and check the facility id)"))
            }
            guard
                try MappingError.store({ () throws(StoreError) in try store.mappings.resource(.facility, facilityID) })
                    != nil
            else {
                problems.append(.init("facility \(facilityID) was never discovered", fix: "dpbridge map discover"))
                return .init(
                    number: number, title: Self.title(number), ok: false, summary: "facility unknown",
                    problems: problems)
            }
            if try MappingError.store({ () throws(StoreError) in try store.mappings.partnerID(.facility, facilityID) })
                == nil
            {
                problems.append(unmapped(.facility, facilityID))
            }
            let catalog = try MappingError.partner { () throws(PartnerError) in try self.catalog() }
            let feeder = ProfileFeeder(docplanner: docplanner, mappings: store.mappings)
            var reportedDoctors: Set<String> = []
            for address in addresses {
                guard let doctorID = address.doctorID else { continue }
                let doctorMapped = try MappingError.store { () throws(StoreError) in
                    try store.mappings.partnerID(.doctor, doctorID)
                }
                if doctorMapped == nil, reportedDoctors.insert(doctorID).inserted {
                    problems.append(unmapped(.doctor, doctorID))
                }
                let addressMapped = try MappingError.store { () throws(StoreError) in
                    try store.mappings.partnerID(.address, address.id)
                }
                if addressMapped == nil { problems.append(unmapped(.address, address.id)) }
                guard doctorMapped != nil, addressMapped != nil else { continue }
                // Each address on its own: one Docplanner refusal leaves the others fed,
                // and the calendar still goes on to the next steps.
                do {
                    let outcome = try feeder.feed(address: address, catalog: catalog)
                    writes += outcome.writes
                    problems += outcome.problems
                } catch {
                    problems.append(
                        .init(
                            "address \(address.id) of doctor \(doctorID): \(error)", fix: Self.fix(for: error)))
                }
                ready.append(CalendarRef(facilityID: facilityID, doctorID: doctorID, addressID: address.id))
            }
        } catch {
            problems.append(.init("\(error)", fix: Self.fix(for: error)))
        }
        let summary =
            "\(ready.count) of \(addresses.count) addresses mapped; \(Self.counted(writes))"
        return .init(
            number: number, title: Self.title(number), ok: problems.isEmpty, summary: summary, problems: problems,
            writes: writes)
    }

    private func unmapped(_ kind: ResourceKind, _ id: String) -> ActivationProblem {
        let name = (try? store.mappings.resource(kind, id))??.resource.name ?? ""
        return .init(
            "\(kind.rawValue) \(id)\(name.isEmpty ? "" : " (\(name))") is not mapped",
            fix: "dpbridge map set \(kind.rawValue) \(id) <partner id>, or dpbridge map auto --apply")
    }

    // MARK: - 3. Slots

    private func slots(_ c: CalendarRef) throws(MappingError) -> CalendarCheck {
        var check = CalendarCheck()
        let timeZone = docplanner.configuration.timeZone
        let days = SlotPlan.horizonDays(from: now(), weeks: horizonWeeks, timeZone: timeZone)
        let availability = try MappingError.partner { () throws(PartnerError) in
            try partner.availability(c, days: days, timeZone: timeZone)
        }
        guard availability.values.contains(where: { !$0.isEmpty }) else {
            check.problems.append(
                .init(
                    "the clinic calendar has no availability for doctor \(c.doctorID) at address \(c.addressID) in the next \(horizonWeeks) weeks",
                    fix:
                        "add working_hours (or day_slots) rows with facility_id \(c.facilityID), doctor_id \(c.doctorID), address_id \(c.addressID)"
                ))
            return check
        }
        // A disabled calendar is enabled; one Docplanner does not have ("Calendar does not
        // exist") is made first: adding a break creates a missing calendar (changelog
        // 1.0.13), so a one-minute break is added at the horizon's end and removed again.
        var enabled: Bool
        do {
            enabled = try docplanner.getCalendar(facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID)
                .isEnabled
        } catch .notFound {
            check.writes += try createCalendar(c)
            enabled = false
        } catch {
            throw .docplanner(error)
        }
        if !enabled {
            do {
                try docplanner.enableCalendar(facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID)
                check.writes.append("enableCalendar")
            } catch .conflict {
                // Enabled meanwhile.
            } catch {
                guard case .permanent = error.disposition else { throw .docplanner(error) }
                check.problems.append(
                    .init(
                        "Docplanner refused to enable the calendar of address \(c.addressID): \(error)",
                        fix: "ask Docplanner to enable the calendar (the address may not be commercial)"))
                return check
            }
        }
        check.writes += try send(OutboundJob(kind: .slots, calendar: c)).filter(Self.isWrite)
        check.counts["calendars fed"] = 1
        return check
    }

    /// Makes Docplanner create the missing calendar of `c` (disabled) by adding a break and
    /// deleting it; returns the write calls made. A refusal of the break itself (the
    /// calendar, just created, is disabled) is expected; whether a calendar exists now
    /// is read back, and its absence is reported by the caller's enable.
    private func createCalendar(_ c: CalendarRef) throws(MappingError) -> [String] {
        let since = now().addingTimeInterval(Double(horizonWeeks * 7 * 86_400) - 3600)
        do {
            let made = try docplanner.addCalendarBreak(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, since: since,
                till: since.addingTimeInterval(60), description: "dpbridge: creating the calendar")
            if let id = made.id {
                try? docplanner.deleteCalendarBreak(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, breakID: id)
                return ["addCalendarBreak", "deleteCalendarBreak"]
            }
        } catch .forbidden, .notFound, .conflict, .badRequest, .unprocessable {
            // Refused as a break; the calendar may exist now all the same.
        } catch {
            throw .docplanner(error)
        }
        return ["addCalendarBreak"]
    }

    // MARK: - 4. Bookings

    private func bookings(_ c: CalendarRef) throws(MappingError) -> CalendarCheck {
        var check = CalendarCheck()
        let start = now()
        let end = start.addingTimeInterval(Double(horizonWeeks * 7 * 86_400))
        // The clinic's visits first (each compared with what Docplanner holds) …
        let rows = try MappingError.partner { () throws(PartnerError) in
            try partner.clinicBookings(c, from: start, to: end)
        }
        for booking in rows {
            check.writes += try send(OutboundJob(kind: .booking, calendar: c, rowID: booking.rowID)).filter(
                Self.isWrite)
        }
        check.counts["clinic visits compared"] = rows.count
        // … then Docplanner's bookings against the clinic's, both ways.
        let reconciler = Reconciler(docplanner: docplanner, partner: partner, horizonWeeks: horizonWeeks)
        let repaired: [String]
        do {
            repaired = try reconciler.reconcile(c, now: start)
        } catch {
            switch error {
            case .docplanner(let error): throw .docplanner(error)
            case .partner(let error): throw .partner(error)
            }
        }
        check.counts["repairs"] = repaired.count
        check.writes += repaired.filter { $0.hasSuffix("canceled there") }.map { _ in "cancelBooking" }
        for repair in repaired {
            logger.notice(
                "activation repaired drift: \(repair)", metadata: ["event": "activation-repair", "calendar": "\(c)"])
        }
        return check
    }

    // MARK: - 5. Breaks

    private func breaks(_ c: CalendarRef) throws(MappingError) -> CalendarCheck {
        var check = CalendarCheck()
        let start = now()
        let end = start.addingTimeInterval(Double(horizonWeeks * 7 * 86_400))
        let rows = try MappingError.partner { () throws(PartnerError) in
            try partner.clinicBreakRows(c, from: start, to: end)
        }
        var known: Set<String> = []
        for row in rows {
            check.writes += try send(OutboundJob(kind: .calendarBreak, calendar: c, rowID: row)).filter(Self.isWrite)
            if let id = try MappingError.partner({ () throws(PartnerError) in try partner.clinicBreak(rowID: row) })?
                .docplannerID
            {
                known.insert(id)
            }
        }
        // Breaks made on Docplanner that the clinic calendar lacks are brought in.
        let remote = try MappingError.docplanner { () throws(DocplannerError) in
            try docplanner.getCalendarBreaks(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, since: start, till: end)
        }
        var imported = 0
        for item in remote {
            guard let id = item.id, !known.contains(id) else { continue }
            let change = PartnerChange.breakSet(
                PartnerBreak(
                    docplannerID: id, calendar: c, since: item.since?.text, till: item.till?.text,
                    sinceDate: item.since?.date, tillDate: item.till?.date, description: item.description))
            let applied = try MappingError.partner { () throws(PartnerError) in
                try partner.apply([change], eventKey: "activation:break:\(id)", eventTime: start)
            }
            if applied { imported += 1 }
        }
        check.counts["Docplanner breaks brought in"] = imported
        return check
    }

    // MARK: - Helpers

    /// Runs one outbound job in this process, as a worker would; returns the calls it made.
    private func send(_ job: OutboundJob) throws(MappingError) -> [String] {
        let processor = OutboundProcessor(
            queue: store.outbox, docplanner: docplanner, calendar: partner, horizonWeeks: horizonWeeks, logger: logger,
            slotDaysPerRun: .max, now: now)
        do {
            let sent = try processor.perform(job, attempt: 1)
            if sent.resumeAt != nil {
                // Days Docplanner would take again only in a few minutes: the daemon
                // finishes them from the outbox.
                _ = try? store.outbox.enqueueAndWait(job.item(dedupKey: "activate-resume:\(UUID().uuidString)"))
            }
            return sent.calls
        } catch {
            switch error {
            case .docplanner(let error): throw .docplanner(error)
            case .partner(let error): throw .partner(error)
            case .invalid(let reason):
                throw .partner(.rejected(reason))
            }
        }
    }

    static func isWrite(_ call: String) -> Bool { !call.hasPrefix("get") }

    static func counted(_ writes: [String]) -> String {
        writes.isEmpty ? "no write calls" : "\(writes.count) write call\(writes.count == 1 ? "" : "s")"
    }
}
