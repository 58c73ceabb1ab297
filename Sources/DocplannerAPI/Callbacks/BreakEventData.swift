import Foundation

/// The `data` of `break-created`, `break-removed` and `break-moved`.
package struct BreakEventData: Codable, Sendable, Equatable {
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

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facility = container.lenient(.facility)
        doctor = container.lenient(.doctor)
        address = container.lenient(.address)
        calendarBreak = container.lenient(.calendarBreak)
    }
}
