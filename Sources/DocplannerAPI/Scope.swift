/// A `with=` expansion scope (the document's `*Scopes` enums). Several are sent
/// comma-separated: `with=doctor.addresses,address.online_only`.
package struct Scope: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { rawValue = value }

    // FacilityScopes
    package static let facilityDoctors: Scope = "facility.doctors"
    // DoctorsScopes / DoctorScopes
    package static let doctorProfileURL: Scope = "doctor.profile_url"
    package static let doctorSpecializations: Scope = "doctor.specializations"
    package static let doctorLicenseNumbers: Scope = "doctor.license_numbers"
    package static let doctorAddresses: Scope = "doctor.addresses"
    // AddressScopes (and DoctorScopes)
    package static let addressBookingExtraFields: Scope = "address.booking_extra_fields"
    package static let addressOnlineOnly: Scope = "address.online_only"
    package static let addressVisitPayment: Scope = "address.visit_payment"
    package static let addressCommercialType: Scope = "address.commercial_type"
    package static let addressInsuranceSupport: Scope = "address.insurance_support"
    // ServicesScopes
    package static let servicesOnlyDiagnostics: Scope = "services.only_diagnostics"
    // AddressServiceScopes
    package static let addressServiceAllowedPatients: Scope = "address_service.allowed_patients"
    package static let addressServiceCustomName: Scope = "address_service.custom_name"
    package static let addressServicePublicInsuranceFlow: Scope = "address_service.public_insurance_flow"
    // SlotsScopes
    package static let slotServices: Scope = "slot.services"
    // BookingsScopes / BookingScopes
    package static let bookingPatient: Scope = "booking.patient"
    package static let bookingAddressService: Scope = "booking.address_service"
    package static let bookingPresence: Scope = "booking.presence"
    package static let bookingMoving: Scope = "booking.moving"
}
