import Foundation

/// Age limits of an address service (nil: no limit).
public struct AllowedPatients: Codable, Sendable, Equatable {
    public var minimumAge: Int?
    public var maximumAge: Int?

    enum CodingKeys: String, CodingKey {
        case minimumAge = "minimum_age"
        case maximumAge = "maximum_age"
    }

    public init(
        minimumAge: Int? = nil, maximumAge: Int? = nil
    ) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minimumAge = container.lenientInt(.minimumAge)
        maximumAge = container.lenientInt(.maximumAge)
    }
}
