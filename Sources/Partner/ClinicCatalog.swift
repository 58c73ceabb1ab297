/// The clinic's own resources and offers (`clinic_*` tables of the calendar): what
/// Docplanner's resources are mapped to, and what profile feeding publishes.
package struct ClinicCatalog: Sendable, Equatable {
    /// One of the clinic's resources: its id in the clinic software and what names it.
    package struct Entry: Sendable, Equatable {
        package var id: String
        package var name: String
        /// Doctors: the license number; locations: street and city; services: the
        /// Docplanner dictionary service id when the clinic declares it; insurance plans:
        /// the insurance they belong to (`insurance_id`).
        package var details: [String: String]
        package init(id: String, name: String, details: [String: String] = [:]) {
            self.id = id
            self.name = name
            self.details = details
        }
    }

    /// A service a doctor offers at a location, with its price and duration.
    package struct Offer: Sendable, Equatable {
        package var doctorID: String
        package var locationID: String
        package var serviceID: String
        package var price: Int?
        package var isPriceFrom: Bool
        package var duration: Int
        package var description: String?
        package init(
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

    package var facilities: [Entry] = []
    package var doctors: [Entry] = []
    package var locations: [Entry] = []
    package var services: [Entry] = []
    package var insurances: [Entry] = []
    /// The insurances' plans, each with `details["insurance_id"]`.
    package var insurancePlans: [Entry] = []
    package var offers: [Offer] = []
    /// Location id → the insurance ids accepted there.
    package var locationInsurances: [String: Set<String>] = [:]
    /// Location id → the plan ids accepted there (each of an insurance accepted there).
    package var locationInsurancePlans: [String: Set<String>] = [:]

    package init() {}
}
