import Foundation

/// The `data` of `break-created`, `break-removed` and `break-moved`.
package struct BreakEventData: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var facility: Facility?
    package var doctor: Doctor?
    package var address: Address?
    package var calendarBreak: CalendarBreak?

    enum CodingKeys: String, CodingKey {
        case facility
        case doctor
        case address
        case calendarBreak = "break"
    }

    package init(
        facility: Facility? = nil, doctor: Doctor? = nil, address: Address? = nil,
        calendarBreak: CalendarBreak? = nil
    ) {
        self.facility = facility
        self.doctor = doctor
        self.address = address
        self.calendarBreak = calendarBreak
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        calendarBreak = container.lenient(.calendarBreak)
    }
}
