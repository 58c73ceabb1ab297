import Foundation

/// The payment status change of `booking-payment-status-changed`
/// (`paid`, `waiting_for_confirmation`, `not-paid`, `refunded`, `charged_back`).
package struct VisitPaymentStatusChange: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var statusFrom: String?
    package var statusTo: String?
    package var changedAt: DocplannerDateTime?

    enum CodingKeys: String, CodingKey {
        case statusFrom = "status_from"
        case statusTo = "status_to"
        case changedAt = "changed_at"
    }

    package init(
        statusFrom: String? = nil, statusTo: String? = nil, changedAt: DocplannerDateTime? = nil
    ) {
        self.statusFrom = statusFrom
        self.statusTo = statusTo
        self.changedAt = changedAt
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        statusFrom = container.lenientString(.statusFrom)
        statusTo = container.lenientString(.statusTo)
        changedAt = container.lenient(.changedAt)
    }
}
