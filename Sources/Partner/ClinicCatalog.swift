/// The clinic's own resources and offers (`clinic_*` tables of the calendar): what
/// Docplanner's resources are mapped to, and what profile feeding publishes.
public struct ClinicCatalog: Sendable, Equatable {
    /// One of the clinic's resources: its id in the clinic software and what names it.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var name: String
        /// Doctors: the license number; locations: street and city; services: the
        /// Docplanner dictionary service id when the clinic declares it; insurance plans:
        /// the insurance they belong to (`insurance_id`).
        public var details: [String: String]
        public init(id: String, name: String, details: [String: String] = [:]) {
            self.id = id
            self.name = name
            self.details = details
        }
    }

    /// A service a doctor offers at a location, with its price and duration.
    public struct Offer: Sendable, Equatable {
        public var doctorID: String
        public var locationID: String
        public var serviceID: String
        public var price: Int?
        public var isPriceFrom: Bool
        public var duration: Int
        public var description: String?
        public init(
            doctorID: String, locationID: String, serviceID: String, price: Int?, isPriceFrom: Bool, duration: Int,
            description: String? = nil
        ) {
            self.doctorID = doctorID
            self.locationID = locationID
            self.serviceID = serviceID
            self.price = price
            self.isPriceFrom = isPriceFrom
            self.duration = duration
            self.description = description
        }
    }

    public var facilities: [Entry] = []
    public var doctors: [Entry] = []
    public var locations: [Entry] = []
    public var services: [Entry] = []
    public var insurances: [Entry] = []
    /// The insurances' plans, each with `details["insurance_id"]`.
    public var insurancePlans: [Entry] = []
    public var offers: [Offer] = []
    /// Location id → the insurance ids accepted there.
    public var locationInsurances: [String: Set<String>] = [:]
    /// Location id → the plan ids accepted there (each of an insurance accepted there).
    public var locationInsurancePlans: [String: Set<String>] = [:]

    public init() {}
}
