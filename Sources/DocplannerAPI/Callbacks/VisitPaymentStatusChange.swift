import Foundation

/// The payment status change of `booking-payment-status-changed`
/// (`paid`, `waiting_for_confirmation`, `not-paid`, `refunded`, `charged_back`).
public struct VisitPaymentStatusChange: Codable, Sendable, Equatable {
    public var statusFrom: String?
    public var statusTo: String?
    public var changedAt: DocplannerDateTime?

    enum CodingKeys: String, CodingKey {
        case statusFrom = "status_from"
        case statusTo = "status_to"
        case changedAt = "changed_at"
    }

    public init(
        statusFrom: String? = nil, statusTo: String? = nil, changedAt: DocplannerDateTime? = nil
    ) {
        self.statusFrom = statusFrom
        self.statusTo = statusTo
        self.changedAt = changedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statusFrom = container.lenientString(.statusFrom)
        statusTo = container.lenientString(.statusTo)
        changedAt = container.lenient(.changedAt)
    }
}
