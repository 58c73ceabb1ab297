import DocplannerAPI
import Foundation

/// Everything the simulated Docplanner knows, guarded by `SimulatorStore`. Plain values
/// in creation order: the dataset is small, and lookups are linear.
struct SimulatorState: Sendable {
    struct FacilityRecord: Sendable {
        var id: String
        var name: String
    }

    struct DoctorRecord: Sendable {
        var id: String
        var facilityID: String
        var name: String
        var surname: String
        var specializations: [(id: String, name: String)]
        var licenseNumbers: [String]
    }

    struct AddressRecord: Sendable {
        var id: String
        var facilityID: String
        var doctorID: String
        var name: String
        var cityName: String
        var postCode: String
        var street: String
        var isOnlineOnly: Bool
        /// `premium`, `saas-only` or `basic` (basic is not commercial).
        var commercialType: String
        /// `private`, `insurance` or `private_and_insurance`.
        var insuranceSupport: String
        var visitPayment: Bool
        /// Bookings holding money move only between addresses of one payment account.
        var paymentAccount: String
        var calendar: CalendarStatus
        var integrationRemoved = false

        var isCommercial: Bool { commercialType != "basic" }
        var calendarEnabled: Bool { calendar == .enabled }
    }

    /// An address's calendar: enabled or disabled (`Calendar.status`), or missing altogether
    /// (`getCalendar` answers 404 "Calendar does not exist", the `CalendarNotFound` example).
    enum CalendarStatus: String, Sendable {
        case enabled, disabled, missing
    }

    struct ServiceRecord: Sendable {
        var id: String
        var name: String
        var specializationIDs: [String]
    }

    struct AddressServiceRecord: Sendable {
        var id: String
        var addressID: String
        var serviceID: String
        var name: String
        var price: Double?
        var isPriceFrom: Bool
        var description: String?
        var isVisible: Bool
        var defaultDuration: Int
        var allowedPatients: AllowedPatients?
        var customName: String?
        var isDefault: Bool
    }

    struct InsuranceProviderRecord: Sendable {
        var id: String
        var name: String
        var plans: [(id: String, name: String)]
    }

    /// A provider accepted at an address, with the plans accepted.
    struct AddressInsuranceRecord: Sendable {
        var addressID: String
        var providerID: String
        var planIDs: [String]
    }

    struct BreakRecord: Sendable {
        var id: String
        var addressID: String
        var since: Date
        var till: Date
        var description: String?
        /// The break this one was created alongside (`apply_on_coupled_addresses`): it moves
        /// and goes with that one.
        var coupledTo: String? = nil
    }

    struct BookingRecord: Sendable {
        var id: String
        var facilityID: String
        var doctorID: String
        var addressID: String
        /// `booked` or `canceled`.
        var status: String
        var start: Date
        /// Minutes.
        var duration: Int
        var bookedBy: String
        var canceledBy: String = ""
        var bookedAt: Date
        var canceledAt: Date?
        var addressServiceID: String?
        var patient: Patient
        var comment: String?
        var label: String?
        /// `present`, `absent` or nil.
        var presence: String?
        var insurance: Insurance?
        var visitPayment: Bool = false
        var visitPaymentStatus: String?
        var confirmed = false
        /// Set when moved: the first booking of the chain and the latest one.
        var originID: String?
        var newestID: String?

        var end: Date { start.addingTimeInterval(Double(duration) * 60) }
        var isBooked: Bool { status == "booked" }
        /// A payment not refunded or charged back holds money.
        var holdsMoney: Bool {
            guard visitPayment, let status = visitPaymentStatus else { return false }
            return !["not-paid", "refunded", "charged_back", "waiting_for_confirmation"].contains(status)
        }
    }

    /// A `replaceSlots` payload seen recently: a duplicate is refused while it is processing
    /// and ignored (201) for three minutes after.
    struct RecentReplace: Sendable {
        var processedAt: Double
        var ignoredUntil: Double
    }

    var facilities: [FacilityRecord] = []
    var doctors: [DoctorRecord] = []
    var addresses: [AddressRecord] = []
    var services: [ServiceRecord] = []
    var addressServices: [AddressServiceRecord] = []
    var insuranceProviders: [InsuranceProviderRecord] = []
    var addressInsurance: [AddressInsuranceRecord] = []
    /// Bookable units per address id (see `SlotUnit`), in the order they were sent.
    var slots: [String: [SlotUnit]] = [:]
    var breaks: [BreakRecord] = []
    var bookings: [BookingRecord] = []
    var opinionRequests: [String] = []
    var recentReplaces: [String: RecentReplace] = [:]
    /// Seconds a `replaceSlots` stays "processing" (a setting of the simulator).
    var replaceProcessingTime: Double = 0
    /// The next id handed out for anything created (bookings, breaks, address services).
    var nextID = 800_001

    mutating func makeID() -> String {
        defer { nextID += 1 }
        return String(nextID)
    }

    // MARK: - Lookups

    func facility(_ id: String) -> FacilityRecord? { facilities.first { $0.id == id } }
    func doctor(_ id: String) -> DoctorRecord? { doctors.first { $0.id == id } }
    func address(_ id: String) -> AddressRecord? { addresses.first { $0.id == id } }
    func addressIndex(_ id: String) -> Int? { addresses.firstIndex { $0.id == id } }
    func bookingIndex(_ id: String) -> Int? { bookings.firstIndex { $0.id == id } }
    func addressService(_ id: String) -> AddressServiceRecord? { addressServices.first { $0.id == id } }
    func provider(_ id: String) -> InsuranceProviderRecord? { insuranceProviders.first { $0.id == id } }
}
