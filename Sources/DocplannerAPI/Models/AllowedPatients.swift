import Foundation

/// Age limits of an address service (nil: no limit).
package struct AllowedPatients: Codable, Sendable, Equatable {
    package var minimumAge: Int?
    package var maximumAge: Int?

    enum CodingKeys: String, CodingKey {
        case minimumAge = "minimum_age"
        case maximumAge = "maximum_age"
    }

    package init(
        minimumAge: Int? = nil, maximumAge: Int? = nil
    ) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minimumAge = container.lenientInt(.minimumAge)
        maximumAge = container.lenientInt(.maximumAge)
    }
}
