/// A `with=` expansion scope (the document's `*Scopes` enums). Several are sent
/// comma-separated: `with=doctor.addresses,address.online_only`.
public struct Scope: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    // FacilityScopes
    public static let facilityDoctors: Scope = "facility.doctors"
    // DoctorsScopes / DoctorScopes
    public static let doctorProfileURL: Scope = "doctor.profile_url"
    public static let doctorSpecializations: Scope = "doctor.specializations"
    public static let doctorLicenseNumbers: Scope = "doctor.license_numbers"
    public static let doctorAddresses: Scope = "doctor.addresses"
    // AddressScopes (and DoctorScopes)
    public static let addressBookingExtraFields: Scope = "address.booking_extra_fields"
    public static let addressOnlineOnly: Scope = "address.online_only"
    public static let addressVisitPayment: Scope = "address.visit_payment"
    public static let addressCommercialType: Scope = "address.commercial_type"
    public static let addressInsuranceSupport: Scope = "address.insurance_support"
    // ServicesScopes
    public static let servicesOnlyDiagnostics: Scope = "services.only_diagnostics"
    // AddressServiceScopes
    public static let addressServiceAllowedPatients: Scope = "address_service.allowed_patients"
    public static let addressServiceCustomName: Scope = "address_service.custom_name"
    public static let addressServicePublicInsuranceFlow: Scope = "address_service.public_insurance_flow"
    // SlotsScopes
    public static let slotServices: Scope = "slot.services"
    // BookingsScopes / BookingScopes
    public static let bookingPatient: Scope = "booking.patient"
    public static let bookingAddressService: Scope = "booking.address_service"
    public static let bookingPresence: Scope = "booking.presence"
    public static let bookingMoving: Scope = "booking.moving"
}
