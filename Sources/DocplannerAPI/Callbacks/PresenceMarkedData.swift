import Foundation

/// The `data` of `presence-marked`.
package struct PresenceMarkedData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var visitBooking: NotificationBooking?
    /// `PRESENT` or `ABSENT`.
    package var presence: PatientPresence?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case visitBooking = "visit_booking"
        case presence
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        visitBooking: NotificationBooking? = nil, presence: PatientPresence? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.visitBooking = visitBooking
        self.presence = presence
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        visitBooking = container.lenient(.visitBooking)
        presence = container.lenient(.presence)
    }
}
