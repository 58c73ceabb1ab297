/// Body of `addCalendarBreak` (POST …/breaks). Same range and description again is a 409.
package struct AddCalendarBreakRequest: Codable, Sendable, Equatable {
    package var since: DocplannerDateTime
    package var till: DocplannerDateTime
    package var description: String?
    package var applyOnCoupledAddresses: Bool?

    package init(
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
