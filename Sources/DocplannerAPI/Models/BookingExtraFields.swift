import Foundation

/// Which extra patient fields an address asks for when booking.
package struct BookingExtraFields: Codable, Sendable, Equatable {
    package var gender: Bool?
    package var nin: Bool?
    package var birthDate: Bool?

    enum CodingKeys: String, CodingKey {
        case gender
        case nin
        case birthDate = "birth_date"
    }

    package init(
        gender: Bool? = nil, nin: Bool? = nil, birthDate: Bool? = nil
    ) {
        self.gender = gender
        self.nin = nin
        self.birthDate = birthDate
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gender = container.lenientBool(.gender)
        nin = container.lenientBool(.nin)
        birthDate = container.lenientBool(.birthDate)
    }
}
