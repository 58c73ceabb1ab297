import SQLite

/// The clinic's catalog (`clinic_*` tables) and dpbridge's copy of the mappings
/// (`dpbridge_mappings`) that clinic software reads to translate ids.
extension EmbeddedPartner {
    /// Reads the whole catalog.
    package func catalog() throws(PartnerError) -> ClinicCatalog {
        try withDatabase { database throws(SQLiteError) in
            var catalog = ClinicCatalog()
            func entries(_ sql: String, _ detailNames: [String]) throws(SQLiteError) -> [ClinicCatalog.Entry] {
                let select = try database.prepare(sql)
                defer { select.reset() }
                var result: [ClinicCatalog.Entry] = []
                while try select.step() {
                    var details: [String: String] = [:]
                    for (offset, name) in detailNames.enumerated() {
                        if let value = select.text(Int32(2 + offset)), !value.isEmpty { details[name] = value }
                    }
                    result.append(.init(id: select.text(0) ?? "", name: select.text(1) ?? "", details: details))
                }
                return result
            }
            catalog.facilities = try entries("SELECT id, name FROM clinic_facilities ORDER BY id", [])
            catalog.doctors = try entries(
                "SELECT id, name, license_number FROM clinic_doctors ORDER BY id", ["license_number"])
            catalog.locations = try entries(
                "SELECT id, name, street, city FROM clinic_locations ORDER BY id", ["street", "city"])
            catalog.services = try entries(
                "SELECT id, name, docplanner_service_id FROM clinic_services ORDER BY id", ["service_id"])
            catalog.insurances = try entries("SELECT id, name FROM clinic_insurances ORDER BY id", [])
            catalog.insurancePlans = try entries(
                "SELECT id, name, insurance_id FROM clinic_insurance_plans ORDER BY id", ["insurance_id"])
            let offers = try database.prepare(
                """
                SELECT doctor_id, location_id, service_id, price, is_price_from, duration, description
                FROM clinic_offers ORDER BY doctor_id, location_id, service_id
                """)
            defer { offers.reset() }
            while try offers.step() {
                catalog.offers.append(
                    .init(
                        doctorID: offers.text(0) ?? "", locationID: offers.text(1) ?? "",
                        serviceID: offers.text(2) ?? "",
                        price: offers.isNull(3) ? nil : offers.int(3), isPriceFrom: offers.int(4) != 0,
                        duration: offers.int(5), description: offers.text(6)))
            }
            let accepted = try database.prepare("SELECT location_id, insurance_id FROM clinic_location_insurances")
            defer { accepted.reset() }
            while try accepted.step() {
                catalog.locationInsurances[accepted.text(0) ?? "", default: []].insert(accepted.text(1) ?? "")
            }
            let plans = try database.prepare("SELECT location_id, plan_id FROM clinic_location_insurance_plans")
            defer { plans.reset() }
            while try plans.step() {
                catalog.locationInsurancePlans[plans.text(0) ?? "", default: []].insert(plans.text(1) ?? "")
            }
            return catalog
        }
    }

    /// Replaces the whole catalog with `catalog`, in one transaction: clinic software (and
    /// `dpbridge map`) never sees it half written, and a failure leaves the old one whole.
    /// The caller checks it first (`PUT /v1/catalog`): ids unique per table, offers,
    /// plans and accepted insurances and plans naming entries of the catalog.
    package func replaceCatalog(_ catalog: ClinicCatalog) throws(PartnerError) {
        try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) in
                for table in [
                    "clinic_offers", "clinic_location_insurances", "clinic_location_insurance_plans",
                    "clinic_facilities",
                    "clinic_doctors", "clinic_locations", "clinic_services", "clinic_insurances",
                    "clinic_insurance_plans",
                ] {
                    try database.execute("DELETE FROM \(table)")
                }
                func insert(_ sql: String, _ rows: [[StatementValue]]) throws(SQLiteError) {
                    let statement = try database.prepare(sql)
                    for row in rows { try statement.run(row) }
                }
                func text(_ value: String?) -> StatementValue { value.map { .text($0) } ?? .null }
                try insert(
                    "INSERT INTO clinic_facilities (id, name) VALUES (?, ?)",
                    catalog.facilities.map { [.text($0.id), .text($0.name)] })
                try insert(
                    "INSERT INTO clinic_doctors (id, name, license_number) VALUES (?, ?, ?)",
                    catalog.doctors.map { [.text($0.id), .text($0.name), text($0.details["license_number"])] })
                try insert(
                    "INSERT INTO clinic_locations (id, name, street, city) VALUES (?, ?, ?, ?)",
                    catalog.locations.map {
                        [.text($0.id), .text($0.name), text($0.details["street"]), text($0.details["city"])]
                    })
                try insert(
                    "INSERT INTO clinic_services (id, name, docplanner_service_id) VALUES (?, ?, ?)",
                    catalog.services.map { [.text($0.id), .text($0.name), text($0.details["service_id"])] })
                try insert(
                    "INSERT INTO clinic_insurances (id, name) VALUES (?, ?)",
                    catalog.insurances.map { [.text($0.id), .text($0.name)] })
                try insert(
                    "INSERT INTO clinic_insurance_plans (id, insurance_id, name) VALUES (?, ?, ?)",
                    catalog.insurancePlans.map {
                        [.text($0.id), .text($0.details["insurance_id"] ?? ""), .text($0.name)]
                    })
                try insert(
                    """
                    INSERT INTO clinic_offers (doctor_id, location_id, service_id, price, is_price_from, duration, description)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    catalog.offers.map {
                        [
                            .text($0.doctorID), .text($0.locationID), .text($0.serviceID),
                            $0.price.map { .integer(Int64($0)) } ?? .null, .integer($0.isPriceFrom ? 1 : 0),
                            .integer(Int64($0.duration)), text($0.description),
                        ]
                    })
                try insert(
                    "INSERT INTO clinic_location_insurances (location_id, insurance_id) VALUES (?, ?)",
                    catalog.locationInsurances.keys.sorted().flatMap { location in
                        catalog.locationInsurances[location, default: []].sorted().map { [.text(location), .text($0)] }
                    })
                try insert(
                    "INSERT INTO clinic_location_insurance_plans (location_id, plan_id) VALUES (?, ?)",
                    catalog.locationInsurancePlans.keys.sorted().flatMap { location in
                        catalog.locationInsurancePlans[location, default: []].sorted().map {
                            [.text(location), .text($0)]
                        }
                    })
            }
        }
    }

    /// Replaces `dpbridge_mappings` with `mappings` (kind, Docplanner id, partner id),
    /// in one transaction; clinic software never sees it half written.
    package func publishMappings(_ mappings: [CalendarMapping]) throws(PartnerError) {
        try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) in
                try database.execute("DELETE FROM dpbridge_mappings")
                let insert = try database.prepare(
                    "INSERT INTO dpbridge_mappings (kind, docplanner_id, partner_id) VALUES (?, ?, ?)")
                for mapping in mappings {
                    try insert.run([.text(mapping.kind), .text(mapping.docplannerID), .text(mapping.partnerID)])
                }
            }
        }
    }
}
