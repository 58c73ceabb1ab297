/// Body of `addCalendarBreak` (POST …/breaks). Same range and description again is a 409.
public struct AddCalendarBreakRequest: Codable, Sendable, Equatable {
    public var since: DocplannerDateTime
    public var till: DocplannerDateTime
    public var description: String?
    public var applyOnCoupledAddresses: Bool?

    public init(
        since: DocplannerDateTime, till: DocplannerDateTime, description: String? = nil,
        applyOnCoupledAddresses: Bool? = nil
    ) {
        self.since = since
        self.till = till
        self.description = description
        self.applyOnCoupledAddresses = applyOnCoupledAddresses
    }

    enum CodingKeys: String, CodingKey {
        case since, till, description
        case applyOnCoupledAddresses = "apply_on_coupled_addresses"
    }
}
