import Foundation

/// A Docplanner resource as discovery last saw it.
public struct DocplannerResource: Sendable, Equatable {
    public var kind: ResourceKind
    public var id: String
    public var name: String
    public var facilityID: String?
    public var doctorID: String?
    public var addressID: String?
    /// The insurance provider a plan belongs to (nil for other kinds).
    public var insuranceProviderID: String?
    /// What else helps a person or `map auto` match it: `license_number`, `street`,
    /// `city`, `service_id`, `price`, `duration`, …
    public var details: [String: String]
    /// Set when the last discovery that covered it did not find it any more.
    public var vanishedAt: Date?

    public init(
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
public enum DiscoveryScope: Sendable, Equatable {
    /// Every facility, doctor, address, address service, insurance provider and plan.
    case everything
    /// One facility with its doctors, addresses and address services (and the insurance
    /// dictionary: providers and their plans).
    case facility(String)
    /// The address services of one address.
    case addressServices(addressID: String)
}

/// What changed since the previous discovery, for logs, `status` and metrics.
public struct MappingDrift: Sendable, Equatable {
    /// Mapped resources that discovery no longer finds (their mapping points nowhere).
    public var vanishedMapped: [DocplannerResource] = []
    /// Resources seen for the first time, not mapped.
    public var newUnmapped: [DocplannerResource] = []
    public init() {}
    public var isEmpty: Bool { vanishedMapped.isEmpty && newUnmapped.isEmpty }
}
