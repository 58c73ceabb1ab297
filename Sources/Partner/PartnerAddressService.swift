/// A service offered at an address (Docplanner's "address service"), mirrored so the
/// clinic knows what patients can book.
package struct PartnerAddressService: Sendable, Equatable, Codable {
    /// Docplanner's address-service id.
    package var docplannerID: String
    package var calendar: CalendarRef
    package var serviceID: String?
    package var name: String?
    package var price: Int?
    package var isPriceFrom: Bool?
    package var duration: Int?
    package var deleted: Bool

    package init(
        docplannerID: String, calendar: CalendarRef, serviceID: String? = nil, name: String? = nil,
        price: Int? = nil, isPriceFrom: Bool? = nil, duration: Int? = nil, deleted: Bool = false
    ) {
        self.docplannerID = docplannerID
        self.calendar = calendar
        self.serviceID = serviceID
        self.name = name
        self.price = price
        self.isPriceFrom = isPriceFrom
        self.duration = duration
        self.deleted = deleted
    }
}
