import DocplannerAPI
import Foundation

/// Turns records into the document's shapes (through DocplannerAPI's models, whose keys
/// are the document's), with the fields each `with=` scope adds.
extension SimulatorState {
    func render(_ facility: FacilityRecord, scopes: Set<String> = []) -> Facility {
        var rendered = Facility(id: facility.id, name: facility.name)
        if scopes.contains("facility.doctors") {
            rendered.doctors = ItemList(doctors.filter { $0.facilityID == facility.id }.map { render($0) })
        }
        return rendered
    }

    func render(_ doctor: DoctorRecord, scopes: Set<String> = []) -> Doctor {
        var rendered = Doctor(id: doctor.id, name: doctor.name, surname: doctor.surname)
        if scopes.contains("doctor.profile_url") {
            rendered.profileURL = "https://www.znanylekarz.pl/sample-doctor-\(doctor.id)"
        }
        if scopes.contains("doctor.specializations") || scopes.contains("doctor.addresses") {
            rendered.specializations = ItemList(doctor.specializations.map { Specialization(id: $0.id, name: $0.name) })
        }
        if scopes.contains("doctor.license_numbers") {
            rendered.licenseNumbers = ItemList(
                doctor.licenseNumbers.enumerated().map {
                    LicenseNumber(id: String($0.offset + 1), licenseNumber: $0.element)
                })
        }
        if scopes.contains("doctor.addresses") {
            rendered.addresses = ItemList(addressesOf(doctor).map { render($0, scopes: scopes) })
        }
        return rendered
    }

    func addressesOf(_ doctor: DoctorRecord) -> [AddressRecord] {
        addresses.filter { $0.doctorID == doctor.id && $0.facilityID == doctor.facilityID && !$0.integrationRemoved }
    }

    func render(_ address: AddressRecord, scopes: Set<String> = []) -> Address {
        var rendered = Address(
            id: address.id, name: address.name, cityName: address.cityName, postCode: address.postCode,
            street: address.street, bookingExtraFields: BookingExtraFields(gender: false, nin: false, birthDate: false))
        if scopes.contains("address.online_only") { rendered.isOnlineOnly = address.isOnlineOnly }
        if scopes.contains("address.visit_payment") { rendered.visitPayment = address.visitPayment }
        if scopes.contains("address.commercial_type") { rendered.commercialType = address.commercialType }
        if scopes.contains("address.insurance_support") { rendered.insuranceSupport = address.insuranceSupport }
        return rendered
    }

    func render(_ service: AddressServiceRecord, scopes: Set<String> = []) -> AddressService {
        var rendered = AddressService(
            id: service.id, name: service.customName ?? service.name, price: service.price.map { Int($0) },
            isPriceFrom: service.isPriceFrom, isDefault: service.isDefault, description: service.description,
            serviceID: service.serviceID, duration: service.defaultDuration, isVisible: service.isVisible)
        rendered.allowedPatients = service.allowedPatients
        if scopes.contains("address_service.custom_name") { rendered.customName = service.customName }
        if scopes.contains("address_service.public_insurance_flow") { rendered.isPublicInsuranceFlow = false }
        return rendered
    }

    func render(_ calendarBreak: BreakRecord, timeZone: TimeZone) -> CalendarBreak {
        CalendarBreak(
            id: calendarBreak.id, since: DocplannerDateTime(calendarBreak.since, timeZone: timeZone),
            till: DocplannerDateTime(calendarBreak.till, timeZone: timeZone), description: calendarBreak.description)
    }

    /// A booking as the API returns it. `full` adds patient, address service and presence
    /// (getBooking, bookSlot, moveBooking); lists add them per scope.
    func render(_ booking: BookingRecord, timeZone: TimeZone, scopes: Set<String> = [], full: Bool = false) -> Booking {
        func text(_ date: Date) -> DocplannerDateTime { DocplannerDateTime(date, timeZone: timeZone) }
        var rendered = Booking(
            id: booking.id, status: booking.status, startAt: text(booking.start), endAt: text(booking.end),
            duration: booking.duration, bookedBy: booking.bookedBy, canceledBy: booking.canceledBy,
            bookedAt: text(booking.bookedAt), canceledAt: booking.canceledAt.map(text), comment: booking.comment,
            insurance: booking.insurance)
        if full || scopes.contains("booking.patient") { rendered.patient = booking.patient }
        if full || scopes.contains("booking.address_service") {
            rendered.addressService = booking.addressServiceID.flatMap(addressService).map {
                render($0, scopes: scopes)
            }
        }
        if full || scopes.contains("booking.presence") {
            rendered.presence = booking.presence.map(PatientPresence.init)
        }
        if scopes.contains("booking.moving") {
            rendered.moving = BookingMoving(
                originBookingID: booking.originID ?? booking.id, newestBookingID: booking.newestID ?? booking.id)
        }
        if booking.visitPayment {
            rendered.visitPayment = true
            rendered.visitPaymentStatus = booking.visitPaymentStatus
        }
        return rendered
    }

    // MARK: - Notification parts (the examples' short forms)

    func summary(facility id: String) -> Facility {
        Facility(id: id, name: facility(id)?.name)
    }

    func summary(doctor id: String) -> Doctor {
        let record = doctor(id)
        return Doctor(id: id, name: record?.name, surname: record?.surname)
    }

    func summary(address id: String) -> Address {
        let record = address(id)
        return Address(id: id, name: record?.name, postCode: record?.postCode, street: record?.street)
    }

    /// The `address_service` of events: id, name, price, is_price_from, is_visible.
    func summary(addressService id: String?) -> AddressService? {
        guard let id, let service = addressService(id) else { return nil }
        return AddressService(
            id: service.id, name: service.customName ?? service.name, price: service.price.map { Int($0) },
            isPriceFrom: service.isPriceFrom, isVisible: service.isVisible)
    }

    /// A booking inside an event (`visit_booking`, `old_visit_booking`, …).
    func notificationBooking(_ booking: BookingRecord, timeZone: TimeZone) -> NotificationBooking {
        func text(_ date: Date) -> DocplannerDateTime { DocplannerDateTime(date, timeZone: timeZone) }
        return NotificationBooking(
            id: booking.id, status: booking.status, startAt: text(booking.start), endAt: text(booking.end),
            duration: booking.duration, bookedBy: booking.bookedBy, canceledBy: booking.canceledBy,
            bookedAt: text(booking.bookedAt), canceledAt: booking.canceledAt.map(text),
            addressService: summary(addressService: booking.addressServiceID), patient: booking.patient,
            comment: booking.comment, insurance: booking.insurance,
            visitPayment: booking.visitPayment ? true : nil)
    }
}
