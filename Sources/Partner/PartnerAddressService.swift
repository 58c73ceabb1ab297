/// A service offered at an address (Docplanner's "address service"), mirrored so the
/// clinic knows what patients can book.
public struct PartnerAddressService: Sendable, Equatable, Codable {
    /// Docplanner's address-service id.
    public var docplannerID: String
    public var calendar: CalendarRef
    public var serviceID: String?
    public var name: String?
    public var price: Int?
    public var isPriceFrom: Bool?
    public var duration: Int?
    public var deleted: Bool

    public init(
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
