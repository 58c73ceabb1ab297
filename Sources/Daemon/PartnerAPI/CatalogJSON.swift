import DocplannerAPI
import Partner

/// The clinic's catalog as `/v1/catalog` reads and writes it: what `dpbridge map`
/// matches Docplanner's resources against and `dpbridge activate` feeds to profiles.
/// One JSON object with an array per table of docs/mapping-and-activation.md.
enum CatalogJSON {
    /// The whole catalog from a `PUT /v1/catalog` body, checked as a whole: every id is
    /// unique in its array; offers, insurance plans and accepted insurances and plans name
    /// entries of the same body; a plan is accepted only where its insurance is. The first
    /// problem is thrown, naming its field (`offers[3].doctor_id`).
    static func catalog(_ body: [UInt8]) throws(FieldError) -> ClinicCatalog {
        let fields = try JSONFields.parse(body)
        try fields.rejectUnknown([
            "facilities", "doctors", "locations", "services", "insurances", "insurance_plans", "offers",
            "location_insurances", "location_insurance_plans",
        ])
        var catalog = ClinicCatalog()
        for table in entryTables {
            catalog[keyPath: table.entries] = try entries(fields, table.key, details: table.details)
        }

        let doctors = Set(catalog.doctors.map(\.id))
        let locations = Set(catalog.locations.map(\.id))
        let services = Set(catalog.services.map(\.id))
        let insurances = Set(catalog.insurances.map(\.id))
        // Each plan names an insurance of the body; `entries` read them in this order.
        var insuranceOfPlan: [String: String] = [:]
        for (index, item) in (try fields.objects("insurance_plans") ?? []).enumerated() {
            let insurance = try reference(item, "insurance_id", in: insurances, "insurances")
            insuranceOfPlan[catalog.insurancePlans[index].id] = insurance
        }
        var offered: Set<[String]> = []
        for item in try fields.objects("offers") ?? [] {
            try item.rejectUnknown([
                "doctor_id", "location_id", "service_id", "price", "is_price_from", "duration", "description",
            ])
            let offer = ClinicCatalog.Offer(
                doctorID: try reference(item, "doctor_id", in: doctors, "doctors"),
                locationID: try reference(item, "location_id", in: locations, "locations"),
                serviceID: try reference(item, "service_id", in: services, "services"),
                price: try item.int("price", in: 0...10_000_000), isPriceFrom: try item.bool("is_price_from") ?? false,
                duration: try item.requiredInt("duration", in: 1...1440), description: try item.string("description"))
            guard offered.insert([offer.doctorID, offer.locationID, offer.serviceID]).inserted else {
                throw FieldError(
                    field: item.name("service_id"), problem: "this doctor already offers it at this location")
            }
            catalog.offers.append(offer)
        }
        for item in try fields.objects("location_insurances") ?? [] {
            try item.rejectUnknown(["location_id", "insurance_id"])
            let location = try reference(item, "location_id", in: locations, "locations")
            let insurance = try reference(item, "insurance_id", in: insurances, "insurances")
            catalog.locationInsurances[location, default: []].insert(insurance)
        }
        for item in try fields.objects("location_insurance_plans") ?? [] {
            try item.rejectUnknown(["location_id", "plan_id"])
            let location = try reference(item, "location_id", in: locations, "locations")
            let plan = try reference(item, "plan_id", in: Set(insuranceOfPlan.keys), "insurance_plans")
            let insurance = insuranceOfPlan[plan] ?? ""
            guard catalog.locationInsurances[location]?.contains(insurance) == true else {
                throw FieldError(
                    field: item.name("plan_id"),
                    problem: "its insurance \(insurance) is not accepted at \(location) (add it to location_insurances)"
                )
            }
            catalog.locationInsurancePlans[location, default: []].insert(plan)
        }
        return catalog
    }

    /// The arrays of id-and-name entries: their JSON key, where they go in the catalog,
    /// and their optional text fields (JSON field → `ClinicCatalog.Entry.details` key).
    private static let entryTables:
        [(
            key: String, entries: WritableKeyPath<ClinicCatalog, [ClinicCatalog.Entry]> & Sendable,
            details: [String: String]
        )] = [
            ("facilities", \.facilities, [:]),
            ("doctors", \.doctors, ["license_number": "license_number"]),
            ("locations", \.locations, ["street": "street", "city": "city"]),
            ("services", \.services, ["docplanner_service_id": "service_id"]),
            ("insurances", \.insurances, [:]),
            ("insurance_plans", \.insurancePlans, ["insurance_id": "insurance_id"]),
        ]

    /// `catalog` as `GET /v1/catalog` answers it (the shape `PUT` takes).
    static func json(_ catalog: ClinicCatalog) -> JSONValue {
        var object: JSONObject = [:]
        for table in entryTables {
            object[table.key] = .array(
                catalog[keyPath: table.entries].map { entry in
                    var fields: JSONObject = ["id": .string(entry.id), "name": .string(entry.name)]
                    for (field, key) in table.details { fields[field] = .text(entry.details[key]) }
                    return .object(fields)
                })
        }
        object["offers"] = .array(
            catalog.offers.map { offer in
                .object([
                    "doctor_id": .string(offer.doctorID), "location_id": .string(offer.locationID),
                    "service_id": .string(offer.serviceID), "price": offer.price.map { .int(Int64($0)) } ?? .null,
                    "is_price_from": .bool(offer.isPriceFrom), "duration": .int(Int64(offer.duration)),
                    "description": .text(offer.description),
                ])
            })
        object["location_insurances"] = .array(
            catalog.locationInsurances.keys.sorted().flatMap { location in
                catalog.locationInsurances[location, default: []].sorted().map {
                    .object(["location_id": .string(location), "insurance_id": .string($0)])
                }
            })
        object["location_insurance_plans"] = .array(
            catalog.locationInsurancePlans.keys.sorted().flatMap { location in
                catalog.locationInsurancePlans[location, default: []].sorted().map {
                    .object(["location_id": .string(location), "plan_id": .string($0)])
                }
            })
        return .object(object)
    }

    /// The entries of array `key`: `id` and `name` required, ids unique, and the optional
    /// text fields in `details`.
    private static func entries(
        _ fields: JSONFields, _ key: String, details: [String: String]
    ) throws(FieldError) -> [ClinicCatalog.Entry] {
        var result: [ClinicCatalog.Entry] = []
        var seen: Set<String> = []
        for item in try fields.objects(key) ?? [] {
            try item.rejectUnknown(Set(["id", "name"]).union(details.keys))
            let id = try item.requiredString("id")
            guard seen.insert(id).inserted else {
                throw FieldError(field: item.name("id"), problem: "\(id) is listed twice")
            }
            var entry = ClinicCatalog.Entry(id: id, name: try item.requiredString("name"))
            for (field, detail) in details {
                if let value = try item.string(field) { entry.details[detail] = value }
            }
            result.append(entry)
        }
        return result
    }

    /// A required id that must be one of `known` (the ids of array `table` of the body).
    private static func reference(
        _ item: JSONFields, _ key: String, in known: Set<String>, _ table: String
    ) throws(FieldError) -> String {
        let id = try item.requiredString(key)
        guard known.contains(id) else { throw FieldError(field: item.name(key), problem: "\(id) is not in \(table)") }
        return id
    }
}
