import Foundation

/// A Docplanner resource as discovery last saw it.
package struct DocplannerResource: Sendable, Equatable {
    package var kind: ResourceKind
    package var id: String
    package var name: String
    package var facilityID: String?
    package var doctorID: String?
    package var addressID: String?
    /// The insurance provider a plan belongs to (nil for other kinds).
    package var insuranceProviderID: String?
    /// What else helps a person or `map auto` match it: `license_number`, `street`,
    /// `city`, `service_id`, `price`, `duration`, …
    package var details: [String: String]
    /// Set when the last discovery that covered it did not find it any more.
    package var vanishedAt: Date?

    package init(
        kind: ResourceKind, id: String, name: String, facilityID: String? = nil, doctorID: String? = nil,
        addressID: String? = nil, insuranceProviderID: String? = nil, details: [String: String] = [:],
        vanishedAt: Date? = nil
    ) {
        self.kind = kind
        self.id = id
        self.name = name
        self.facilityID = facilityID
        self.doctorID = doctorID
        self.addressID = addressID
        self.insuranceProviderID = insuranceProviderID
        self.details = details
        self.vanishedAt = vanishedAt
    }
}

/// Which resources one discovery walked: the ones of that part it did not find are
/// marked vanished.
package enum DiscoveryScope: Sendable, Equatable {
    /// Every facility, doctor, address, address service, insurance provider and plan.
    case everything
    /// One facility with its doctors, addresses and address services (and the insurance
    /// dictionary: providers and their plans).
    case facility(String)
    /// The address services of one address.
    case addressServices(addressID: String)
}

/// What changed since the previous discovery, for logs, `status` and metrics.
package struct MappingDrift: Sendable, Equatable {
    /// Mapped resources that discovery no longer finds (their mapping points nowhere).
    package var vanishedMapped: [DocplannerResource] = []
    /// Resources seen for the first time, not mapped.
    package var newUnmapped: [DocplannerResource] = []
    package init() {}
    package var isEmpty: Bool { vanishedMapped.isEmpty && newUnmapped.isEmpty }
}
