import DocplannerAPI
import Foundation
import Logging
import Partner
import Store

/// Sends one outbox job — a clinic-side change — to Docplanner and records the outcome:
/// done; retry later (Docplanner unavailable, over the rate limit, the partner store
/// busy); a dead letter with Docplanner's message when the change can never be applied.
///
/// Each job compares the row as the clinic left it with what Docplanner last
/// acknowledged (`ClinicBooking.synced*`, `ClinicBreak.synced*`, the fed slot
/// signatures) and sends only the difference, recording each step as soon as Docplanner
/// accepts it. So a job that runs twice, or after a crash between a call and its
/// record, repeats no call that already succeeded, except the one in flight; for the
/// only call that would double something (`bookSlot`) a retry first looks for the
/// booking it may already have made.
package struct OutboundProcessor: JobProcessor {
    let queue: JobQueue
    let docplanner: DocplannerClient
    let calendar: any ClinicCalendar
    let horizonWeeks: Int
    let reconciler: Reconciler?
    let logger: Logger
    let now: @Sendable () -> Date
    /// Days one slot-feed job sends before it yields (and is due again at once), so that a
    /// calendar's first feed (84 days) never holds a worker or its lease for long.
    let slotDaysPerRun: Int

    /// Docplanner ignores a `replaceSlots` body equal to one it finished in the last 3
    /// minutes; 45 s more allow for its processing time.
    static let duplicateWindow: Double = 225

    /// Without a `reconciler`, reconcile jobs complete doing nothing.
    package init(
        queue: JobQueue, docplanner: DocplannerClient, calendar: any ClinicCalendar, horizonWeeks: Int,
        reconciler: Reconciler? = nil, logger: Logger, slotDaysPerRun: Int = 14,
        now: @escaping @Sendable () -> Date = { SteadyClock().date() }
    ) {
        self.queue = queue
        self.docplanner = docplanner
        self.calendar = calendar
        self.horizonWeeks = horizonWeeks
        self.reconciler = reconciler
        self.logger = logger
        self.slotDaysPerRun = max(1, slotDaysPerRun)
        self.now = now
    }

    /// What a job did: the Docplanner operations it called, and when it must run again to
    /// finish (nil when it is done).
    struct Sent {
        var calls: [String]
        var resumeAt: Date? = nil
    }

    /// Why a job stopped short.
    enum Failure: Error {
        case docplanner(DocplannerError)
        case partner(PartnerError)
        /// The clinic's row cannot be sent as it is (missing data); `String` says what to fix.
        case invalid(String)
    }

    package func process(_ job: Job) throws(StoreError) {
        guard let outbound = OutboundJob.decode(job) else {
            try queue.failPermanently(job, reason: "unreadable outbound job payload")
            return
        }
        var metadata: Logger.Metadata = [
            "event": "outbound-\(outbound.kind.rawValue)", "job_id": "\(job.id)", "attempt": "\(job.attempts)",
            "calendar": "\(outbound.calendar)",
        ]
        if let row = outbound.rowID { metadata["row_id"] = "\(row)" }
        let result: Result<Sent, Failure>
        do throws(Failure) {
            result = .success(try perform(outbound, attempt: job.attempts))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let sent):
            if let resumeAt = sent.resumeAt {
                try queue.postpone(job, until: resumeAt)
                metadata["resume_at"] = "\(resumeAt)"
            } else {
                try queue.complete(job)
            }
            if !sent.calls.isEmpty {
                metadata["calls"] = "\(Self.summary(of: sent.calls))"
                logger.info("clinic change sent to Docplanner", metadata: metadata)
            }
        case .failure(.docplanner(let error)):
            metadata["error"] = "\(error)"
            switch error.disposition {
            case .retry, .reauthenticate:
                try queue.retryLater(job, error: error.description)
                logger.warning("clinic change not sent yet; will retry", metadata: metadata)
            case .retryAfter(let seconds):
                try queue.retryLater(job, error: error.description, notBefore: seconds.map { now() + $0 })
                logger.warning("clinic change not sent yet; will retry", metadata: metadata)
            case .permanent:
                try queue.failPermanently(job, reason: "Docplanner refused: \(error)")
                logger.error("clinic change refused by Docplanner; kept as a dead letter", metadata: metadata)
            }
        case .failure(.partner(let error)):
            metadata["error"] = "\(error)"
            try queue.retryLater(job, error: "partner calendar: \(error)")
            logger.warning("cannot read or record the clinic change; will retry", metadata: metadata)
        case .failure(.invalid(let reason)):
            metadata["error"] = "\(reason)"
            try queue.failPermanently(job, reason: reason)
            logger.error("clinic change cannot be sent; kept as a dead letter", metadata: metadata)
        }
    }

    /// `calls` for a log line, runs of one operation counted: `getSlots,replaceSlots×14`.
    static func summary(of calls: [String]) -> String {
        var runs: [(String, Int)] = []
        for call in calls {
            if runs.last?.0 == call { runs[runs.count - 1].1 += 1 } else { runs.append((call, 1)) }
        }
        return runs.map { $0.1 == 1 ? $0.0 : "\($0.0)×\($0.1)" }.joined(separator: ",")
    }

    /// Performs the job; returns the Docplanner operations it called and whether it has
    /// more to do later.
    func perform(_ job: OutboundJob, attempt: Int) throws(Failure) -> Sent {
        if job.kind == .slots { return try feedSlots(job.calendar) }
        return Sent(calls: try send(job, attempt: attempt))
    }

    /// Performs a job other than a slot feed; returns the Docplanner operations it called.
    private func send(_ job: OutboundJob, attempt: Int) throws(Failure) -> [String] {
        switch job.kind {
        case .booking:
            guard let row = job.rowID else { throw .invalid("booking job without a row id") }
            return try syncBooking(row: row, attempt: attempt)
        case .bookingDeleted:
            guard let id = job.docplannerID else { return [] }
            return try cancel(job.calendar, bookingID: id) ? ["cancelBooking"] : []
        case .calendarBreak:
            guard let row = job.rowID else { throw .invalid("break job without a row id") }
            return try syncBreak(row: row)
        case .breakDeleted:
            guard let id = job.docplannerID else { return [] }
            return try deleteBreak(job.calendar, breakID: id) ? ["deleteCalendarBreak"] : []
        case .slots:
            return try feedSlots(job.calendar).calls
        case .reconcile:
            guard let reconciler else { return [] }
            let repairs: [String]
            do {
                repairs = try reconciler.reconcile(job.calendar, now: now())
            } catch {
                switch error {
                case .docplanner(let error): throw .docplanner(error)
                case .partner(let error): throw .partner(error)
                }
            }
            for repair in repairs {
                logger.warning(
                    "drift repaired: \(repair)", metadata: ["event": "reconcile-repair", "calendar": "\(job.calendar)"])
            }
            return repairs.isEmpty ? [] : ["reconcile (\(repairs.count) repairs)"]
        }
    }

    // MARK: - Bookings

    private func syncBooking(row: Int64, attempt: Int) throws(Failure) -> [String] {
        var calls: [String] = []
        guard var booking = try partner({ () throws(PartnerError) in try calendar.clinicBooking(rowID: row) }) else {
            return calls  // deleted; its delete job cancels it
        }
        let c = booking.calendar
        if booking.docplannerID == nil {
            guard booking.status == .booked else {
                // Canceled before Docplanner had it, unless an interrupted earlier attempt
                // booked it after all: then that booking is canceled.
                if let orphan = try findEarlierBooking(booking, attempt: attempt, calls: &calls)?.id {
                    if try cancel(c, bookingID: orphan) { calls.append("cancelBooking") }
                    let state = BookingSyncState(
                        docplannerID: orphan, status: .canceled, start: booking.start, confirmed: false, presence: nil)
                    try partner { () throws(PartnerError) in try calendar.recordBookingSynced(rowID: row, state) }
                }
                return calls
            }
            let (id, bookedAt) = try book(booking, attempt: attempt, calls: &calls)
            // Booked where the clinic had it when the booking was made: a visit the clinic
            // moved since is moved on Docplanner below.
            let state = BookingSyncState(
                docplannerID: id, status: .booked, start: bookedAt, confirmed: false, presence: nil)
            try partner { () throws(PartnerError) in try calendar.recordBookingSynced(rowID: row, state) }
            guard let reread = try partner({ () throws(PartnerError) in try calendar.clinicBooking(rowID: row) }) else {
                // The clinic deleted the row while the booking was being made.
                if try cancel(c, bookingID: id) { calls.append("cancelBooking") }
                return calls
            }
            booking = reread
        }
        guard var id = booking.docplannerID else { return calls }
        var state = BookingSyncState(
            docplannerID: id, status: booking.syncedStatus ?? .booked, start: booking.syncedStart,
            confirmed: booking.syncedConfirmed, presence: booking.syncedPresence)
        func record() throws(Failure) {
            let current = state
            try partner { () throws(PartnerError) in try calendar.recordBookingSynced(rowID: row, current) }
        }

        switch booking.status {
        case .moved:
            return calls  // moved on Docplanner's side; the new booking is its own row
        case .canceled:
            guard state.status != .canceled else { return calls }
            if try cancel(c, bookingID: id) { calls.append("cancelBooking") }
            state.status = .canceled
            try record()
            return calls
        case .booked:
            break
        }

        if let start = booking.start, let synced = state.start, abs(start.timeIntervalSince(synced)) >= 1 {
            guard let service = booking.addressServiceID, !service.isEmpty else {
                throw .invalid("clinic booking \(row) was moved but has no address_service_id")
            }
            let newID = try move(
                c, bookingID: id, to: start, service: service, duration: booking.durationMinutes, calls: &calls)
            id = newID
            state.docplannerID = newID
            state.start = start
            // A moved booking is a new one on Docplanner's side: not yet confirmed, no presence.
            state.confirmed = false
            state.presence = nil
            try record()
        }

        if booking.confirmed && !state.confirmed {
            do {
                try docplanner.confirmBooking(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: id)
                calls.append("confirmBooking")
            } catch .conflict {
                // Already confirmed (or past): Docplanner holds what the clinic wants.
            } catch {
                throw .docplanner(error)
            }
            state.confirmed = true
            try record()
        }

        let presence = booking.presence.flatMap { PatientPresence($0).state }
        if let presence, presence != state.presence.flatMap({ PatientPresence($0).state }) {
            try call { () throws(DocplannerError) in
                switch presence {
                case .present:
                    try docplanner.markPatientPresence(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: id)
                case .absent:
                    try docplanner.markPatientAbsence(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: id)
                }
            }
            calls.append(presence == .present ? "markPatientPresence" : "markPatientAbsence")
            state.presence = booking.presence
            try record()
        }
        return calls
    }

    /// Moves booking `bookingID` to `start`; returns the id of the booking at the new time
    /// (Docplanner makes a new one). A move retried after its answer was lost gets 409
    /// ("already moved"): the booking the first attempt made is found through
    /// `booking.moving` (`newest_booking_id`) and adopted when it is at `start`; a booking
    /// moved elsewhere meanwhile is moved on from there, once.
    private func move(
        _ c: CalendarRef, bookingID: String, to start: Date, service: String, duration: Int?, calls: inout [String]
    ) throws(Failure) -> String {
        var current = bookingID
        for _ in 0..<2 {
            do throws(DocplannerError) {
                let moved = try docplanner.moveBooking(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: current,
                    MoveBookingRequest(addressServiceID: service, start: docplanner.dateTime(start), duration: duration)
                )
                calls.append("moveBooking")
                guard let newID = moved.booking.id else {
                    throw DocplannerError.undecodable(what: "moved booking", reason: "no id in Docplanner's answer")
                }
                return newID
            } catch .conflict(let request, let body) {
                calls.append("moveBooking")
                let old = try call { () throws(DocplannerError) in
                    try docplanner.getBooking(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: current,
                        with: [.bookingMoving])
                }
                calls.append("getBooking")
                guard let newest = old.moving?.newestBookingID, !newest.isEmpty, newest != current else {
                    // Not moved: canceled or deleted on Docplanner. Nothing to move.
                    throw .docplanner(.conflict(request: request, body: body))
                }
                let latest = try call { () throws(DocplannerError) in
                    try docplanner.getBooking(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: newest)
                }
                calls.append("getBooking")
                if latest.status != "canceled", let at = latest.startAt?.date, abs(at.timeIntervalSince(start)) < 1 {
                    return newest
                }
                current = newest
            } catch {
                throw .docplanner(error)
            }
        }
        throw .invalid(
            "booking \(bookingID) was moved on Docplanner meanwhile; the clinic's move to \(start) was not made")
    }

    /// Books the clinic's visit on Docplanner and returns the booking and its start. Where
    /// an earlier attempt may have booked it already (a retry, or an attempt recorded on the
    /// row), that booking is adopted instead of booking twice. The start is recorded on the
    /// row before the call, so a retry after a lost answer looks there even when the clinic
    /// has moved the visit meanwhile.
    private func book(_ booking: ClinicBooking, attempt: Int, calls: inout [String]) throws(Failure) -> (
        id: String, start: Date
    ) {
        let c = booking.calendar
        guard let start = booking.start else { throw .invalid("clinic booking \(booking.rowID) has no start time") }
        guard let service = booking.addressServiceID, !service.isEmpty else {
            throw .invalid("clinic booking \(booking.rowID) has no address_service_id (Docplanner needs one to book)")
        }
        guard let patient = booking.patient, patient.name?.isEmpty == false, patient.phone?.isEmpty == false else {
            throw .invalid(
                "clinic booking \(booking.rowID) needs patient_name and patient_phone (Docplanner requires both)")
        }
        if let earlier = try findEarlierBooking(booking, attempt: attempt, calls: &calls) {
            return earlier
        }
        try partner { () throws(PartnerError) in try calendar.recordBookingAttempt(rowID: booking.rowID, start: start) }
        let made = try call { () throws(DocplannerError) in
            try docplanner.bookSlot(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, start: start,
                BookSlotRequest(
                    addressServiceID: service, duration: booking.durationMinutes,
                    patient: Patient(
                        name: patient.name, surname: patient.surname, email: patient.email, phone: patient.phone),
                    comment: booking.comment))
        }
        calls.append("bookSlot")
        guard let id = made.id else {
            throw .docplanner(.undecodable(what: "booking", reason: "no id in Docplanner's answer"))
        }
        return (id, start)
    }

    /// The live Docplanner booking an earlier, interrupted attempt may have made for this
    /// clinic row (same patient), and its start: looked for where that attempt booked it
    /// (`syncedStart`), then at the row's start.
    private func findEarlierBooking(_ booking: ClinicBooking, attempt: Int, calls: inout [String]) throws(Failure)
        -> (id: String, start: Date)?
    {
        // Only a retry, or a row that records an attempt, can have an earlier booking.
        guard attempt > 0 || booking.syncedStart != nil else { return nil }
        let c = booking.calendar
        guard let patient = booking.patient else { return nil }
        var starts: [Date] = []
        for candidate in [booking.syncedStart, booking.start] {
            if let candidate, !starts.contains(where: { abs($0.timeIntervalSince(candidate)) < 1 }) {
                starts.append(candidate)
            }
        }
        for start in starts {
            let existing = try call { () throws(DocplannerError) in
                try docplanner.getBookings(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, start: start,
                    end: start.addingTimeInterval(60), with: [.bookingPatient], priority: .high)
            }
            calls.append("getBookings")
            let found = existing.items.first(where: {
                $0.status != "canceled" && $0.startAt?.date.map { abs($0.timeIntervalSince(start)) < 1 } == true
                    && $0.patient?.phone == patient.phone && $0.patient?.name == patient.name
            })
            if let id = found?.id { return (id, start) }
        }
        return nil
    }

    /// Cancels a booking; false when Docplanner no longer has it as booked.
    private func cancel(_ c: CalendarRef, bookingID: String) throws(Failure) -> Bool {
        try call { () throws(DocplannerError) in
            try docplanner.cancelBookingIfBooked(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, bookingID: bookingID,
                reason: "Canceled in the clinic")
        }
    }

    // MARK: - Breaks

    private func syncBreak(row: Int64) throws(Failure) -> [String] {
        guard let item = try partner({ () throws(PartnerError) in try calendar.clinicBreak(rowID: row) }) else {
            return []
        }
        let c = item.calendar
        func record(id: String?, deleted: Bool) throws(Failure) {
            try partner { () throws(PartnerError) in
                try calendar.recordBreakSynced(
                    rowID: row, docplannerID: id, since: item.since, till: item.till, deleted: deleted)
            }
        }
        if item.deleted {
            guard !item.syncedDeleted, let id = item.docplannerID else { return [] }
            let deleted = try deleteBreak(c, breakID: id)
            try record(id: id, deleted: true)
            return deleted ? ["deleteCalendarBreak"] : []
        }
        guard let since = item.since, let till = item.till, till > since else {
            throw .invalid("clinic break \(row) needs since < till")
        }
        guard let id = item.docplannerID else {
            let added: CalendarBreak?
            do {
                added = try docplanner.addCalendarBreak(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, since: since, till: till)
            } catch .conflict {
                added = nil
            } catch {
                throw .docplanner(error)
            }
            if let added {
                try record(id: added.id, deleted: false)
                return ["addCalendarBreak"]
            }
            // The same break is there already (an earlier attempt added it): adopt it.
            let existing = try call { () throws(DocplannerError) in
                try docplanner.getCalendarBreaks(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, since: since, till: till)
            }
            let match = existing.first {
                $0.since?.date.map { abs($0.timeIntervalSince(since)) < 1 } == true
                    && $0.till?.date.map { abs($0.timeIntervalSince(till)) < 1 } == true
            }
            guard let found = match?.id else {
                throw .invalid(
                    "Docplanner reports a conflicting break for clinic break \(row) but lists none at \(since)…\(till)")
            }
            try record(id: found, deleted: false)
            return ["addCalendarBreak", "getCalendarBreaks"]
        }
        let unchanged =
            item.syncedSince.map { abs($0.timeIntervalSince(since)) < 1 } == true
            && item.syncedTill.map { abs($0.timeIntervalSince(till)) < 1 } == true && !item.syncedDeleted
        guard !unchanged else { return [] }
        try call { () throws(DocplannerError) in
            try docplanner.moveCalendarBreak(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, breakID: id, since: since,
                till: till)
        }
        try record(id: id, deleted: false)
        return ["moveCalendarBreak"]
    }

    /// Deletes a break; false when Docplanner no longer has it (404).
    private func deleteBreak(_ c: CalendarRef, breakID: String) throws(Failure) -> Bool {
        do {
            try docplanner.deleteCalendarBreak(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, breakID: breakID)
            return true
        } catch .notFound {
            return false
        } catch {
            throw .docplanner(error)
        }
    }

    // MARK: - Slots

    /// Feeds the calendar's changed days over the horizon, nearest first, each whole in a
    /// `replaceSlots` of its own (see `SlotDay`), recording each as soon as Docplanner
    /// took it. Stops after `slotDaysPerRun` days (to be resumed at once). A day whose body
    /// Docplanner would ignore as a duplicate goes in another spelling or, with none left,
    /// waits until Docplanner takes it again.
    private func feedSlots(_ c: CalendarRef) throws(Failure) -> Sent {
        let timeZone = docplanner.configuration.timeZone
        let start = now()
        let days = SlotPlan.horizonDays(from: start, weeks: horizonWeeks, timeZone: timeZone)
        let (availability, fed, sends) = try partner { () throws(PartnerError) in
            (
                try calendar.availability(c, days: days, timeZone: timeZone), try calendar.slotSignatures(c),
                try calendar.slotSends(c, since: start.addingTimeInterval(-Self.duplicateWindow))
            )
        }
        // Past days drop out of the bookkeeping once the horizon has moved past them.
        let stale = fed.keys.filter { $0 < (days.first ?? "") }
        if !stale.isEmpty {
            try partner { () throws(PartnerError) in
                try calendar.recordSlotSignatures(c, Dictionary(uniqueKeysWithValues: stale.map { ($0, "") }))
            }
        }
        let plan = SlotPlan.make(
            days: days, availability: availability, fed: fed, timeZone: timeZone,
            limit: start.addingTimeInterval(Double(horizonWeeks * 7 * 86_400)))
        var sent = Sent(calls: [])
        func resume(at date: Date) { sent.resumeAt = min(sent.resumeAt ?? date, date) }
        let settled = try closedAlready(c, plan.days.filter { !$0.isOpen && fed[$0.day] == nil }, calls: &sent.calls)
        for day in plan.days where !settled.contains(day.day) {
            guard sent.calls.count < slotDaysPerRun else {
                resume(at: start)
                break
            }
            let recent = sends.filter { $0.day == day.day }
            guard let body = Self.spelling(of: day, avoiding: recent) else {
                let plain = recent.filter { $0.signature == day.signature }.map(\.sentAt).max() ?? start
                resume(at: plain.addingTimeInterval(Self.duplicateWindow))
                continue
            }
            try call { () throws(DocplannerError) in
                try docplanner.replaceSlots(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID,
                    body.request(timeZone: timeZone))
            }
            sent.calls.append("replaceSlots")
            let at = now()
            try partner { () throws(PartnerError) in
                try calendar.recordSlotSent(c, day: day.day, signature: day.signature, sent: body.signature, at: at)
            }
        }
        return sent
    }

    /// Of `days` (closed in the clinic, never fed), those on which Docplanner offers no slot
    /// either: recorded as fed without a write. One read (`getSlots`, from Docplanner's
    /// larger read budget) spares a write call per such day, e.g. every weekend of a new
    /// calendar. When the read fails, the days are fed as usual.
    private func closedAlready(_ c: CalendarRef, _ days: [SlotDay], calls: inout [String]) throws(Failure) -> Set<
        String
    > {
        guard let first = days.first?.ranges.first?.start, let last = days.last?.ranges.last?.end else { return [] }
        let offered: [Slot]
        do {
            offered = try docplanner.getSlots(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, start: first, end: last)
            calls.append("getSlots")
        } catch {
            logger.debug(
                "cannot list Docplanner's slots; closed days are fed",
                metadata: ["event": "slots-read-failed", "error": "\(error)"])
            return []
        }
        let timeZone = docplanner.configuration.timeZone
        let busy = Set(
            offered.compactMap { $0.start?.date.map { DocplannerDateTime.formatDay($0, timeZone: timeZone) } })
        let settled = days.filter { !busy.contains($0.day) }
        for day in settled {
            try partner { () throws(PartnerError) in try calendar.recordSlotSignatures(c, [day.day: day.signature]) }
        }
        return Set(settled.map(\.day))
    }

    /// The first spelling of `day` (itself, then its variants) that was not sent within
    /// Docplanner's duplicate window; nil when every one was.
    static func spelling(of day: SlotDay, avoiding recent: [SlotSend]) -> SlotDay? {
        var variant = 0
        while let candidate = day.variant(variant) {
            if !recent.contains(where: { $0.signature == candidate.signature }) { return candidate }
            variant += 1
        }
        return nil
    }

    // MARK: - Helpers

    private func call<T>(_ body: () throws(DocplannerError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw .docplanner(error) }
    }

    private func partner<T>(_ body: () throws(PartnerError) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw .partner(error) }
    }
}
