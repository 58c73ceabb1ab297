import DocplannerAPI
import Foundation

/// The notifications the simulator sends, shaped like the document's `components.examples`:
/// `facility`, `doctor` and `address` in their short forms plus the event's own part.
extension SimulatorState {
    private func place(_ addressID: String) -> (Facility, Doctor, Address) {
        let record = self.address(addressID)
        return (
            summary(facility: record?.facilityID ?? ""), summary(doctor: record?.doctorID ?? ""),
            summary(address: addressID)
        )
    }

    /// The patient as events show it (no consents; `is_returning` only where asked).
    private func eventPatient(_ patient: Patient, returning: Bool = false) -> Patient {
        Patient(
            name: patient.name, surname: patient.surname, email: patient.email, phone: patient.phone,
            birthDate: patient.birthDate, nin: patient.nin, gender: patient.gender,
            isReturning: returning ? (patient.isReturning ?? false) : nil, insuranceNumber: patient.insuranceNumber)
    }

    private func eventBooking(_ booking: BookingRecord, timeZone: TimeZone, returning: Bool = false)
        -> NotificationBooking
    {
        var rendered = notificationBooking(booking, timeZone: timeZone)
        rendered.patient = eventPatient(booking.patient, returning: returning)
        return rendered
    }

    /// `visit_booking_request` / `creating_booking`: a booking about to be made.
    private func request(
        for booking: BookingRecord, at now: Date, timeZone: TimeZone, patient: Bool
    ) -> VisitBookingRequest {
        func text(_ date: Date) -> DocplannerDateTime { DocplannerDateTime(date, timeZone: timeZone) }
        return VisitBookingRequest(
            bookingAt: text(now), bookingBy: booking.bookedBy, duration: booking.duration, startAt: text(booking.start),
            endAt: text(booking.end), addressService: summary(addressService: booking.addressServiceID),
            patient: patient ? eventPatient(booking.patient) : nil,
            signature: patient ? nil : UUID().uuidString.lowercased(),
            comment: patient ? booking.comment : nil, visitPayment: booking.visitPayment ? true : nil)
    }

    func slotBookingEvent(_ pending: BookingRecord, now: Date, timeZone: TimeZone) -> CallbackEvent {
        let (facility, doctor, address) = place(pending.addressID)
        return .slotBooking(
            SlotBookingData(
                facility: facility, doctor: doctor, address: address,
                visitBookingRequest: request(for: pending, at: now, timeZone: timeZone, patient: true)))
    }

    func bookingEvent(_ name: CallbackEventName, _ booking: BookingRecord, timeZone: TimeZone) -> CallbackEvent {
        let (facility, doctor, address) = place(booking.addressID)
        let data = BookingEventData(
            facility: facility, doctor: doctor, address: address,
            visitBooking: eventBooking(booking, timeZone: timeZone))
        switch name {
        case .bookingCanceled: return .bookingCanceled(data)
        case .bookingConfirmed: return .bookingConfirmed(data)
        default: return .slotBooked(data)
        }
    }

    /// `booking-moving`: the booking being canceled (`canceling_by`/`canceling_at`) and the
    /// one about to be created.
    func bookingMovingEvent(
        old: BookingRecord, new pending: BookingRecord, by party: String, now: Date, timeZone: TimeZone
    ) -> CallbackEvent {
        func text(_ date: Date) -> DocplannerDateTime { DocplannerDateTime(date, timeZone: timeZone) }
        let (facility, doctor, address) = place(old.addressID)
        let canceling = NotificationBooking(
            id: old.id, startAt: text(old.start), endAt: text(old.end), duration: old.duration, bookedBy: old.bookedBy,
            bookedAt: text(old.bookedAt), cancelingBy: party, cancelingAt: text(now),
            addressService: summary(addressService: old.addressServiceID))
        return .bookingMoving(
            BookingMovingData(
                facility: facility, doctor: doctor, address: address, cancelingBooking: canceling,
                creatingBooking: request(for: pending, at: now, timeZone: timeZone, patient: false)))
    }

    func bookingMovedEvent(old: BookingRecord, new: BookingRecord, timeZone: TimeZone) -> CallbackEvent {
        let (facility, doctor, address) = place(old.addressID)
        return .bookingMoved(
            BookingMovedData(
                facility: facility, doctor: doctor, address: address,
                oldVisitBooking: eventBooking(old, timeZone: timeZone),
                newVisitBooking: eventBooking(new, timeZone: timeZone)))
    }

    func presenceEvent(_ booking: BookingRecord, presence: PatientPresence, timeZone: TimeZone) -> CallbackEvent {
        let (facility, doctor, address) = place(booking.addressID)
        var visit = eventBooking(booking, timeZone: timeZone, returning: true)
        visit.addressService = nil
        visit.comment = nil
        visit.insurance = nil
        visit.signature = UUID().uuidString.lowercased()
        return .presenceMarked(
            PresenceMarkedData(
                facility: facility, doctor: doctor, address: address, visitBooking: visit, presence: presence))
    }

    func paymentEvent(_ booking: BookingRecord, from: String, to: String, now: Date, timeZone: TimeZone)
        -> CallbackEvent
    {
        let (facility, doctor, address) = place(booking.addressID)
        var visit = eventBooking(booking, timeZone: timeZone)
        visit.addressService = nil
        visit.insurance = nil
        visit.visitPayment = nil
        visit.signature = UUID().uuidString.lowercased()
        return .bookingPaymentStatusChanged(
            BookingPaymentStatusChangedData(
                facility: facility, doctor: doctor, address: address, visitBooking: visit,
                visitPaymentStatus: VisitPaymentStatusChange(
                    statusFrom: from, statusTo: to, changedAt: DocplannerDateTime(now, timeZone: timeZone))))
    }

    func breakEvent(_ name: CallbackEventName, _ record: BreakRecord, timeZone: TimeZone) -> CallbackEvent {
        let (facility, doctor, address) = place(record.addressID)
        let data = BreakEventData(
            facility: facility, doctor: doctor, address: address,
            calendarBreak: CalendarBreak(
                id: record.id, since: DocplannerDateTime(record.since, timeZone: timeZone),
                till: DocplannerDateTime(record.till, timeZone: timeZone)))
        switch name {
        case .breakRemoved: return .breakRemoved(data)
        case .breakMoved: return .breakMoved(data)
        default: return .breakCreated(data)
        }
    }

    func addressServiceEvent(_ name: CallbackEventName, _ record: AddressServiceRecord) -> CallbackEvent {
        let (facility, doctor, address) = place(record.addressID)
        let service = AddressService(
            id: record.id, name: record.customName ?? record.name, price: record.price.map { Int($0) },
            isPriceFrom: record.isPriceFrom, isDefault: record.isDefault, description: record.description,
            serviceID: record.serviceID, isVisible: record.isVisible)
        let data = AddressServiceEventData(
            facility: facility, doctor: doctor, address: address, addressService: service)
        switch name {
        case .addressServiceDeleted: return .addressServiceDeleted(data)
        case .addressServiceChanged: return .addressServiceChanged(data)
        default: return .addressServiceCreated(data)
        }
    }

    func commercialTypeEvent(_ addressID: String) -> CallbackEvent {
        var (facility, doctor, address) = place(addressID)
        address.commercialType = self.address(addressID)?.commercialType
        return .addressCommercialTypeChanged(AddressEventData(facility: facility, doctor: doctor, address: address))
    }
}
