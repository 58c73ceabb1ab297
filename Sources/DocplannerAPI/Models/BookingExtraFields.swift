import Foundation

/// Which extra patient fields an address asks for when booking.
public struct BookingExtraFields: Codable, Sendable, Equatable {
    public var gender: Bool?
    public var nin: Bool?
    public var birthDate: Bool?

    enum CodingKeys: String, CodingKey {
        case gender
        case nin
        case birthDate = "birth_date"
    }

    public init(
        gender: Bool? = nil, nin: Bool? = nil, birthDate: Bool? = nil
    ) {
        self.gender = gender
        self.nin = nin
        self.birthDate = birthDate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gender = container.lenientBool(.gender)
        nin = container.lenientBool(.nin)
        birthDate = container.lenientBool(.birthDate)
    }
}
