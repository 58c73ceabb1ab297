import Foundation

/// One page of `GET …/bookings` (`_items` plus `page`, `limit`, `pages`, `total`; the
/// pagination fields are present only when a `page` was asked for).
package struct BookingPage: Codable, Sendable, Equatable {
    package var items: [Booking]
    package var page: Int?
    package var limit: Int?
    package var pages: Int?
    package var total: Int?

    enum CodingKeys: String, CodingKey {
        case items = "_items"
        case page, limit, pages, total
    }

    package init(items: [Booking] = [], page: Int? = nil, limit: Int? = nil, pages: Int? = nil, total: Int? = nil) {
        self.items = items
        self.page = page
        self.limit = limit
        self.pages = pages
        self.total = total
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = container.lenientArray(.items) ?? []
        page = container.lenientInt(.page)
        limit = container.lenientInt(.limit)
        pages = container.lenientInt(.pages)
        total = container.lenientInt(.total)
    }

    /// Whether a later page exists (false when the answer was not paginated).
    package var hasNextPage: Bool {
        guard let page, let pages else { return false }
        return page < pages
    }
}
