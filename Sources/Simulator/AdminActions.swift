import DocplannerAPI
import Foundation

/// What happens on Docplanner's side when a patient or doctor acts there (the admin API's
/// `/_sim/*` calls): the state changes and the matching events are asked or published.
/// Runs on `SimulatorCore.actions`, never under the state lock while sending.
extension SimulatorCore {
    /// The answer of an admin action.
    struct AdminOutcome: Encodable, Sendable {
        var outcome: String
        var booking: SimulatorSnapshot.BookingState?
        var previousBooking: SimulatorSnapshot.BookingState?
        var breakID: String?
        var addressServiceID: String?
        var partnerStatus: Int?
        /// The partner's `error_code`, as the JSON value it sent.
        var errorCode: JSONValue?
        var partnerError: String?
        var events: [String] = []

        enum CodingKeys: String, CodingKey {
            case outcome, booking, events
            case previousBooking = "previous_booking"
            case breakID = "break_id"
            case addressServiceID = "address_service_id"
            case partnerStatus = "partner_status"
            case errorCode = "error_code"
            case partnerError = "partner_error"
        }
    }

    /// A refused admin request.
    struct AdminError: Error {
        var status: Int
        var message: String
        init(_ status: Int, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    private func notification(_ event: CallbackEvent, _ now: Double) -> DocplannerNotification {
        DocplannerNotification(event: event, createdAt: text(now))
    }

    private func publish(_ event: CallbackEvent, _ now: Double, into outcome: inout AdminOutcome) {
        hub.publish(notification(event, now), now: now)
        outcome.events.append(event.name)
    }

    static let samplePatient = Patient(
        name: "Jan", surname: "Kowalski", email: "jan.kowalski@example.com", phone: "+48600100200",
        birthDate: "1980-02-03", nin: "80020312345", gender: "m", isReturning: false, insuranceNumber: nil)

    // MARK: - Bookings

    /// A patient (or the doctor, `by: "doctor"`) books a slot. A patient booking first asks
    /// the partner with the blocking `slot-booking`; only an approval books it.
    func book(
        addressID: String, start: (date: Date, text: String), serviceID: String?, duration: Int?, patient: Patient?,
        comment: String?, by party: String
    ) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let pending = try store.withLock { state throws(AdminError) -> SimulatorState.BookingRecord in
            guard let address = state.address(addressID), !address.integrationRemoved else {
                throw AdminError(404, "no address \(addressID)")
            }
            guard address.calendarEnabled, address.isCommercial else {
                throw AdminError(409, "the calendar of address \(addressID) does not take bookings")
            }
            let offered = state.availableSlots(
                address: address.id, from: start.date, to: start.date.addingTimeInterval(1)
            )
            .first { $0.start == start.date }
            guard let offer = offered?.units.first(where: { serviceID == nil || $0.addressServiceID == serviceID })
            else {
                throw AdminError(
                    409, "no free slot at \(start.text) for \(serviceID.map { "service \($0)" } ?? "any service")")
            }
            return SimulatorState.BookingRecord(
                id: "", facilityID: address.facilityID, doctorID: address.doctorID, addressID: address.id,
                status: "booked", start: start.date, duration: duration ?? offer.duration, bookedBy: party,
                bookedAt: Date(timeIntervalSince1970: now), addressServiceID: offer.addressServiceID,
                patient: patient ?? Self.samplePatient, comment: comment,
                visitPayment: address.visitPayment && party == "user",
                visitPaymentStatus: address.visitPayment && party == "user" ? "not-paid" : nil)
        }
        var outcome = AdminOutcome(outcome: "booked")
        if party == "user" {
            let question = store.withLock {
                $0.slotBookingEvent(pending, now: Date(timeIntervalSince1970: now), timeZone: timeZone)
            }
            let verdict = hub.ask(notification(question, now), now: now)
            outcome.partnerStatus = verdict.status
            outcome.errorCode = verdict.errorCode
            outcome.partnerError = verdict.error
            if verdict.status != nil { outcome.events.append(question.name) }
            guard verdict.approved else {
                outcome.outcome = "denied"
                logger.info(
                    "booking denied by the partner",
                    metadata: ["event": "slot-booking", "status": "\(verdict.status.map(String.init) ?? "none")"])
                return outcome
            }
        }
        let (booked, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, CallbackEvent) in
            guard state.isFree(address: pending.addressID, from: pending.start, to: pending.end) else {
                throw AdminError(409, "the slot was taken while the partner was asked")
            }
            var booking = pending
            booking.id = state.makeID()
            state.bookings.append(booking)
            return (booking, state.bookingEvent(.slotBooked, booking, timeZone: timeZone))
        }
        publish(event, clock.now(), into: &outcome)
        outcome.booking = Self.state(of: booked, timeZone: timeZone)
        return outcome
    }

    /// The patient or doctor cancels.
    func cancel(bookingID: String, by party: String) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (booking, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, CallbackEvent) in
            let index = try Self.bookedIndex(bookingID, in: state)
            state.bookings[index].status = "canceled"
            state.bookings[index].canceledBy = party
            state.bookings[index].canceledAt = Date(timeIntervalSince1970: now)
            let booking = state.bookings[index]
            return (booking, state.bookingEvent(.bookingCanceled, booking, timeZone: timeZone))
        }
        var outcome = AdminOutcome(outcome: "canceled", booking: Self.state(of: booking, timeZone: timeZone))
        publish(event, now, into: &outcome)
        return outcome
    }

    /// The patient or doctor moves a booking: the blocking `booking-moving` asks first; an
    /// approval cancels the booking, creates a new one, and publishes `booking-moved`.
    func move(
        bookingID: String, start: (date: Date, text: String), serviceID: String?, duration: Int?, addressID: String?,
        by party: String
    ) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let date = Date(timeIntervalSince1970: now)
        let (old, pending, target, question) = try store.withLock {
            state throws(AdminError)
                -> (
                    SimulatorState.BookingRecord, SimulatorState.BookingRecord, SimulatorState.AddressRecord,
                    CallbackEvent
                ) in
            let index = try Self.bookedIndex(bookingID, in: state)
            let old = state.bookings[index]
            guard let target = state.address(addressID ?? old.addressID), target.facilityID == old.facilityID else {
                throw AdminError(404, "no address \(addressID ?? old.addressID) in facility \(old.facilityID)")
            }
            let services = state.addressServices.filter { $0.addressID == target.id }
            guard
                let service = services.first(where: { $0.id == (serviceID ?? old.addressServiceID) }) ?? services.first
            else {
                throw AdminError(409, "address \(target.id) offers no service")
            }
            var pending = old
            pending.id = ""
            pending.addressID = target.id
            pending.doctorID = target.doctorID
            pending.start = start.date
            pending.duration = duration ?? old.duration
            pending.addressServiceID = service.id
            pending.bookedBy = party
            pending.bookedAt = date
            guard state.isFree(address: target.id, from: pending.start, to: pending.end, ignoring: old.id) else {
                throw AdminError(409, "\(start.text) is not free at address \(target.id)")
            }
            return (
                old, pending, target,
                state.bookingMovingEvent(old: old, new: pending, by: party, now: date, timeZone: timeZone)
            )
        }
        var outcome = AdminOutcome(outcome: "moved")
        let verdict = hub.ask(notification(question, now), now: now)
        outcome.partnerStatus = verdict.status
        outcome.errorCode = verdict.errorCode
        outcome.partnerError = verdict.error
        if verdict.status != nil { outcome.events.append(question.name) }
        guard verdict.approved else {
            outcome.outcome = "denied"
            outcome.booking = Self.state(of: old, timeZone: timeZone)
            return outcome
        }
        let (previous, moved, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, SimulatorState.BookingRecord, CallbackEvent) in
            let index = try Self.bookedIndex(old.id, in: state)
            guard state.isFree(address: target.id, from: pending.start, to: pending.end, ignoring: old.id) else {
                throw AdminError(409, "the time was taken while the partner was asked")
            }
            let moved = state.move(
                bookingAt: index, to: target, start: pending.start, duration: pending.duration,
                serviceID: pending.addressServiceID, by: party, at: date)
            let previous = state.bookings[index]
            return (previous, moved, state.bookingMovedEvent(old: previous, new: moved, timeZone: timeZone))
        }
        publish(event, clock.now(), into: &outcome)
        outcome.booking = Self.state(of: moved, timeZone: timeZone)
        outcome.previousBooking = Self.state(of: previous, timeZone: timeZone)
        return outcome
    }

    /// The patient confirms the visit.
    func confirm(bookingID: String) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (booking, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, CallbackEvent) in
            let index = try Self.bookedIndex(bookingID, in: state)
            guard !state.bookings[index].confirmed else {
                throw AdminError(409, "booking \(bookingID) is already confirmed")
            }
            state.bookings[index].confirmed = true
            let booking = state.bookings[index]
            return (booking, state.bookingEvent(.bookingConfirmed, booking, timeZone: timeZone))
        }
        var outcome = AdminOutcome(outcome: "confirmed", booking: Self.state(of: booking, timeZone: timeZone))
        publish(event, now, into: &outcome)
        return outcome
    }

    /// The doctor (or patient) marks whether the patient came.
    func markPresence(bookingID: String, present: Bool) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (booking, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, CallbackEvent) in
            let index = try Self.bookedIndex(bookingID, in: state)
            state.bookings[index].presence = present ? "present" : "absent"
            let booking = state.bookings[index]
            return (
                booking,
                state.presenceEvent(
                    booking, presence: PatientPresence(present ? .present : .absent), timeZone: timeZone)
            )
        }
        var outcome = AdminOutcome(outcome: "presence-marked", booking: Self.state(of: booking, timeZone: timeZone))
        publish(event, now, into: &outcome)
        return outcome
    }

    /// The patient pays (or is refunded): `booking-payment-status-changed`.
    func changePayment(bookingID: String, to status: String) throws(AdminError) -> AdminOutcome {
        let now = clock.now()
        let (booking, event) = try store.withLock {
            state throws(AdminError) -> (SimulatorState.BookingRecord, CallbackEvent) in
            guard let index = state.bookingIndex(bookingID) else { throw AdminError(404, "no booking \(bookingID)") }
            let from = state.bookings[index].visitPaymentStatus ?? "not-paid"
            state.bookings[index].visitPayment = true
            state.bookings[index].visitPaymentStatus = status
            let booking = state.bookings[index]
            return (
                booking,
                state.paymentEvent(
                    booking, from: from, to: status, now: Date(timeIntervalSince1970: now), timeZone: timeZone)
            )
        }
        var outcome = AdminOutcome(outcome: "payment-changed", booking: Self.state(of: booking, timeZone: timeZone))
        publish(event, now, into: &outcome)
        return outcome
    }

    private static func bookedIndex(_ id: String, in state: SimulatorState) throws(AdminError) -> Int {
        guard let index = state.bookingIndex(id) else { throw AdminError(404, "no booking \(id)") }
        guard state.bookings[index].isBooked else {
            throw AdminError(409, "booking \(id) is \(state.bookings[index].status)")
        }
        return index
    }

    static func state(of booking: SimulatorState.BookingRecord, timeZone: TimeZone) -> SimulatorSnapshot.BookingState {
        SimulatorSnapshot.BookingState(
            id: booking.id, facilityID: booking.facilityID, doctorID: booking.doctorID, addressID: booking.addressID,
            status: booking.status, startAt: DocplannerDateTime.format(booking.start, timeZone: timeZone),
            duration: booking.duration, bookedBy: booking.bookedBy, canceledBy: booking.canceledBy,
            addressServiceID: booking.addressServiceID, confirmed: booking.confirmed, presence: booking.presence,
            visitPaymentStatus: booking.visitPaymentStatus, newestID: booking.newestID)
    }
}
