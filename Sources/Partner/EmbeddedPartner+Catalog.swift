import Store

/// The clinic's catalog (`clinic_*` tables) and dpbridge's copy of the mappings
/// (`dpbridge_mappings`) that clinic software reads to translate ids.
extension EmbeddedPartner {
    /// Reads the whole catalog.
    public func catalog() throws(PartnerError) -> ClinicCatalog {
        try withDatabase { database throws(StoreError) in
            var catalog = ClinicCatalog()
            func entries(_ sql: String, _ detailNames: [String]) throws(StoreError) -> [ClinicCatalog.Entry] {
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
            let offers = try database.prepare(
                """
                SELECT doctor_id, location_id, service_id, price, is_price_from, duration, description
                FROM clinic_offers ORDER BY doctor_id, location_id, service_id
                """)
            defer { offers.reset() }
            while try offers.step() {
                catalog.offers.append(
                    .init(
                        doctorID: offers.text(0) ?? "", locationID: offers.text(1) ?? "", serviceID: offers.text(2) ?? "",
                        price: offers.isNull(3) ? nil : offers.int(3), isPriceFrom: offers.int(4) != 0,
                        duration: offers.int(5), description: offers.text(6)))
            }
            let accepted = try database.prepare("SELECT location_id, insurance_id FROM clinic_location_insurances")
            defer { accepted.reset() }
            while try accepted.step() {
                catalog.locationInsurances[accepted.text(0) ?? "", default: []].insert(accepted.text(1) ?? "")
            }
            return catalog
        }
    }

    /// Replaces `dpbridge_mappings` with `mappings` (kind, Docplanner id, partner id),
    /// in one transaction; clinic software never sees it half written.
    public func publishMappings(_ mappings: [(kind: String, docplannerID: String, partnerID: String)]) throws(PartnerError) {
        try withDatabase { database throws(StoreError) in
            try database.transaction { () throws(StoreError) in
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
