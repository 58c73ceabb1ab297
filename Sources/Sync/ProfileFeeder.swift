import DocplannerAPI
import Foundation
import Partner
import Store

/// Publishes the clinic's offers on Docplanner: for each mapped doctor address, the
/// clinic's services there become address services (created, updated or deleted to
/// match `clinic_offers`) and its accepted insurances become address insurance
/// providers, each with the plans accepted there. Idempotent: it compares first and
/// writes only differences, so a second run with nothing changed makes no write call.
package struct ProfileFeeder: Sendable {
    let docplanner: DocplannerClient
    let mappings: Mappings

    package init(docplanner: DocplannerClient, mappings: Mappings) {
        self.docplanner = docplanner
        self.mappings = mappings
    }

    /// What feeding one or more addresses did.
    package struct Outcome: Sendable, Equatable {
        /// Docplanner write operations called, in order.
        package var writes: [String] = []
        package var problems: [ActivationProblem] = []
        package init() {}
    }

    /// Feeds the address `address` (a discovered address resource) from `catalog`.
    package func feed(address: DocplannerResource, catalog: ClinicCatalog) throws(MappingError) -> Outcome {
        var outcome = Outcome()
        guard let facilityID = address.facilityID, let doctorID = address.doctorID else { return outcome }
        let doctorPartner = try MappingError.store { () throws(StoreError) in try mappings.partnerID(.doctor, doctorID)
        }
        let locationPartner = try MappingError.store { () throws(StoreError) in
            try mappings.partnerID(.address, address.id)
        }
        guard let doctorPartner, let locationPartner else {
            // The mapping check reports these; nothing can be fed without them.
            return outcome
        }
        let calendar = CalendarRef(facilityID: facilityID, doctorID: doctorID, addressID: address.id)
        try feedServices(calendar, doctor: doctorPartner, location: locationPartner, catalog: catalog, into: &outcome)
        try feedInsurances(calendar, location: locationPartner, catalog: catalog, into: &outcome)
        return outcome
    }

    // MARK: - Address services

    private func feedServices(
        _ c: CalendarRef, doctor: String, location: String, catalog: ClinicCatalog, into outcome: inout Outcome
    ) throws(MappingError) {
        let offers = catalog.offers.filter { $0.doctorID == doctor && $0.locationID == location }
        let current = try MappingError.docplanner { () throws(DocplannerError) in
            try docplanner.getAddressServices(facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID)
        }
        var byPartnerService: [String: AddressService] = [:]
        var unmapped: [AddressService] = []
        for service in current {
            guard let id = service.id else { continue }
            if let partner = try MappingError.store({ () throws(StoreError) in try mappings.partnerID(.service, id) }) {
                if byPartnerService[partner] == nil { byPartnerService[partner] = service }
            } else {
                unmapped.append(service)
            }
        }
        for service in unmapped {
            let id = service.id ?? "?"
            outcome.problems.append(
                .init(
                    "address service \(id) (\(service.name ?? "unnamed")) at address \(c.addressID) is not mapped to a clinic service",
                    fix: "dpbridge map set service \(id) <clinic service id>, or dpbridge map auto --apply"))
        }
        var created: [(String, String)] = []  // (dictionary service id, clinic service id)
        var dictionary: [Service]?
        for offer in offers {
            if let existing = byPartnerService[offer.serviceID], let id = existing.id {
                let update = Self.difference(existing, offer)
                guard let update else { continue }
                try MappingError.docplanner { () throws(DocplannerError) in
                    _ = try docplanner.updateAddressService(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, addressServiceID: id,
                        update)
                }
                outcome.writes.append("updateAddressService")
                continue
            }
            let service = catalog.services.first { $0.id == offer.serviceID }
            var dictionaryID = service?.details["service_id"]
            if dictionaryID == nil, let name = service?.name {
                if dictionary == nil {
                    dictionary = try MappingError.docplanner { () throws(DocplannerError) in
                        try docplanner.getServices(priority: .low)
                    }
                }
                dictionaryID = dictionary?.first { NameSimilarity.score($0.name ?? "", name) == 1 }?.id
            }
            guard let dictionaryID else {
                outcome.problems.append(
                    .init(
                        "clinic service \(offer.serviceID) (\(service?.name ?? "not in clinic_services")) has no Docplanner dictionary service",
                        fix: "set clinic_services.docplanner_service_id for \(offer.serviceID) (see GET /services)"))
                continue
            }
            if unmapped.contains(where: { $0.serviceID == dictionaryID }) {
                // Docplanner has it already, unmapped: reported above; never add a twin.
                continue
            }
            let added = try MappingError.docplanner { () throws(DocplannerError) in
                try docplanner.addAddressService(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID,
                    AddAddressServiceRequest(
                        serviceID: dictionaryID, isPriceFrom: offer.isPriceFrom, price: offer.price.map(Double.init),
                        description: offer.description, defaultDuration: offer.duration))
            }
            outcome.writes.append("addAddressService")
            if let id = added.id { created.append((id, offer.serviceID)) }
        }
        let offered = Set(offers.map(\.serviceID))
        var deleted: [String] = []
        for (partner, service) in byPartnerService where !offered.contains(partner) {
            guard let id = service.id else { continue }
            do {
                try docplanner.deleteAddressService(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID, addressServiceID: id)
            } catch .notFound {
                // Already gone.
            } catch {
                throw .docplanner(error)
            }
            outcome.writes.append("deleteAddressService")
            deleted.append(id)
        }
        guard !created.isEmpty || !deleted.isEmpty else { return }
        // Record what now exists, then bind what was created to the clinic's services.
        _ = try ResourceDiscovery(docplanner: docplanner, mappings: mappings).rediscoverServices(c)
        for (id, partner) in created {
            do {
                try mappings.set(.service, id, to: partner, source: .feed)
            } catch let error as StoreError {
                throw .store(error)
            } catch {
                // The resource was just discovered; a refusal here means Docplanner did
                // not list what it created: the next run adopts it as unmapped.
            }
        }
        for id in deleted {
            try MappingError.store { () throws(StoreError) in _ = try mappings.unset(.service, id) }
        }
    }

    /// The PATCH that makes `existing` match `offer`, or nil when they already match.
    static func difference(_ existing: AddressService, _ offer: ClinicCatalog.Offer) -> UpdateAddressServiceRequest? {
        var update = UpdateAddressServiceRequest()
        var changed = false
        if existing.price != offer.price {
            changed = true
        }
        if (existing.isPriceFrom ?? false) != offer.isPriceFrom {
            update.isPriceFrom = offer.isPriceFrom
            changed = true
        }
        // Docplanner may leave `duration` out; then it cannot be compared.
        if let duration = existing.duration, duration != offer.duration {
            update.defaultDuration = offer.duration
            changed = true
        }
        if changed {
            // Send the whole priced state; a price the clinic cleared is sent as null,
            // which clears it on Docplanner ("Send null to clear").
            update.price = PatchField(exactly: offer.price.map(Double.init))
            update.isPriceFrom = offer.isPriceFrom
            update.defaultDuration = offer.duration
        }
        return changed ? update : nil
    }

    // MARK: - Insurance

    /// Makes the address's insurance providers those the clinic accepts at `location`,
    /// each with the plans accepted there: a missing provider is added with its plans, a
    /// present one whose plans differ is updated (PUT), one the clinic knows and does not
    /// accept here is deleted. Providers and plans no clinic id is mapped to are left to a
    /// person, as they are.
    private func feedInsurances(
        _ c: CalendarRef, location: String, catalog: ClinicCatalog, into outcome: inout Outcome
    ) throws(MappingError) {
        let accepted = catalog.locationInsurances[location] ?? []
        let insuranceMappings = try MappingError.store { () throws(StoreError) in
            try mappings.mappings(kind: .insurance)
        }
        let planResources = try MappingError.store { () throws(StoreError) in try mappings.list(kind: .plan) }
        func providers(of insurance: String) -> [String] {
            insuranceMappings.filter { $0.partnerID == insurance }.map(\.docplannerID)
        }
        // Docplanner provider id → the Docplanner plan ids the clinic accepts with it here.
        var wanted: [String: Set<String>] = [:]
        for insurance in accepted.sorted() {
            let mapped = providers(of: insurance)
            if mapped.isEmpty {
                let name = catalog.insurances.first { $0.id == insurance }?.name ?? "not in clinic_insurances"
                outcome.problems.append(
                    .init(
                        "clinic insurance \(insurance) (\(name)) accepted at location \(location) is not mapped to a Docplanner insurance provider",
                        fix: "dpbridge map set insurance <provider id> \(insurance), or dpbridge map auto --apply"))
            }
            for provider in mapped where wanted[provider] == nil { wanted[provider] = [] }
        }
        for planID in (catalog.locationInsurancePlans[location] ?? []).sorted() {
            let plan = catalog.insurancePlans.first { $0.id == planID }
            let name = plan?.name ?? "not in clinic_insurance_plans"
            guard let insurance = plan?.details["insurance_id"], accepted.contains(insurance) else {
                outcome.problems.append(
                    .init(
                        "clinic insurance plan \(planID) (\(name)) is accepted at location \(location), but its insurance is not",
                        fix:
                            "add its insurance to clinic_location_insurances for \(location), or remove the plan from clinic_location_insurance_plans"
                    ))
                continue
            }
            let mapped = providers(of: insurance)
            // An insurance without a provider is reported above; its plans cannot be fed.
            guard !mapped.isEmpty else { continue }
            let planIDs = planResources.filter {
                $0.mapping?.partnerID == planID && $0.resource.vanishedAt == nil
                    && mapped.contains($0.resource.insuranceProviderID ?? "")
            }
            if planIDs.isEmpty {
                outcome.problems.append(
                    .init(
                        "clinic insurance plan \(planID) (\(name)) accepted at location \(location) is not mapped to a plan of Docplanner insurance provider \(mapped.joined(separator: " or "))",
                        fix:
                            "dpbridge map set plan <plan id> \(planID), or dpbridge map auto --apply (dpbridge map list --kind plan)"
                    ))
            }
            for resource in planIDs {
                wanted[resource.resource.insuranceProviderID ?? "", default: []].insert(resource.resource.id)
            }
        }
        let current = try MappingError.docplanner { () throws(DocplannerError) in
            try docplanner.getAddressInsuranceProviders(
                facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID)
        }
        var present: [String: Set<String>] = [:]
        for item in current {
            guard let id = item.insuranceProviderID else { continue }
            present[id] = Set(item.insurancePlans?.items.compactMap(\.insurancePlanID) ?? [])
        }
        let knownPlans = Set(planResources.filter { $0.mapping != nil }.map(\.resource.id))
        for (provider, plans) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let existing = present[provider] else {
                try MappingError.docplanner { () throws(DocplannerError) in
                    try docplanner.addAddressInsuranceProvider(
                        facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID,
                        AddressInsuranceProviderRequest(
                            insuranceProviderID: provider, insurancePlanIDs: plans.isEmpty ? nil : plans.sorted()))
                }
                outcome.writes.append("addAddressInsuranceProvider")
                continue
            }
            // Plans no clinic plan is mapped to stay as they are.
            let target = plans.union(existing.subtracting(knownPlans))
            guard target != existing else { continue }
            try MappingError.docplanner { () throws(DocplannerError) in
                try docplanner.updateOrCreateAddressInsuranceProvider(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID,
                    AddressInsuranceProviderRequest(insuranceProviderID: provider, insurancePlanIDs: target.sorted()))
            }
            outcome.writes.append("updateOrCreateAddressInsuranceProvider")
        }
        // Remove only what the clinic knows and does not accept here; a provider the
        // clinic has never mapped is left to a person.
        let known = Set(insuranceMappings.map(\.docplannerID))
        for provider in Set(present.keys).subtracting(wanted.keys).intersection(known).sorted() {
            do {
                try docplanner.deleteAddressInsuranceProvider(
                    facilityID: c.facilityID, doctorID: c.doctorID, addressID: c.addressID,
                    insuranceProviderID: provider)
            } catch .notFound {
                continue
            } catch {
                throw .docplanner(error)
            }
            outcome.writes.append("deleteAddressInsuranceProvider")
        }
    }
}
