import DocplannerAPI
import Foundation
import Partner
import Store

/// Walks Docplanner's resources — facilities → doctors → addresses → address services,
/// plus the insurance dictionary (providers → plans) — and records them in the store,
/// reporting what drifted since the previous walk (a mapped id that vanished, a new
/// unmapped one).
package struct ResourceDiscovery: Sendable {
    let docplanner: DocplannerClient
    let mappings: Mappings

    package init(docplanner: DocplannerClient, mappings: Mappings) {
        self.docplanner = docplanner
        self.mappings = mappings
    }

    /// One step of the walk, for a progress bar: `done` of `total` doctors.
    package struct Progress: Sendable {
        package var done: Int
        package var total: Int
        package var resources: Int
        package var current: String
    }

    /// What a walk found.
    package struct Outcome: Sendable {
        package var resources: [DocplannerResource]
        package var drift: MappingDrift
    }

    /// Walks everything, or one facility, and records it. Reads only (low priority, so
    /// they never delay a booking): one GET per facility, doctor, address, and insurance
    /// provider (its plans), plus the facility and provider lists.
    package func discover(
        facilityID: String? = nil, progress: (Progress) -> Void = { _ in }
    ) throws(MappingError) -> Outcome {
        try MappingError.docplanner { () throws(DocplannerError) in try walk(facilityID: facilityID, progress: progress)
        }
        .recorded(in: mappings, scope: facilityID.map { .facility($0) } ?? .everything)
    }

    private func walk(facilityID: String?, progress: (Progress) -> Void) throws(DocplannerError) -> [DocplannerResource]
    {
        var found: [DocplannerResource] = []
        let facilities: [Facility]
        if let facilityID {
            facilities = [try docplanner.getFacility(facilityID: facilityID, priority: .low)]
        } else {
            facilities = try docplanner.getFacilities(priority: .low)
        }
        var doctorsByFacility: [(String, [Doctor])] = []
        for facility in facilities {
            guard let id = facility.id else { continue }
            found.append(.init(kind: .facility, id: id, name: facility.name ?? "", facilityID: id))
            let doctors = try docplanner.getDoctors(facilityID: id, with: [.doctorLicenseNumbers], priority: .low)
            doctorsByFacility.append((id, doctors))
        }
        let total = doctorsByFacility.reduce(0) { $0 + $1.1.count }
        var done = 0
        for (facility, doctors) in doctorsByFacility {
            for doctor in doctors {
                guard let doctorID = doctor.id else { continue }
                progress(.init(done: done, total: total, resources: found.count, current: "doctor \(doctorID)"))
                var details: [String: String] = [:]
                if let license = doctor.licenseNumbers?.items.compactMap(\.licenseNumber).first {
                    details["license_number"] = license
                }
                let name = [doctor.name, doctor.surname].compactMap { $0 }.joined(separator: " ")
                found.append(
                    .init(
                        kind: .doctor, id: doctorID, name: name, facilityID: facility, doctorID: doctorID,
                        details: details))
                for address in try docplanner.getAddresses(facilityID: facility, doctorID: doctorID, priority: .low) {
                    guard let addressID = address.id else { continue }
                    found.append(Self.resource(address, facilityID: facility, doctorID: doctorID))
                    let services = try docplanner.getAddressServices(
                        facilityID: facility, doctorID: doctorID, addressID: addressID, priority: .low)
                    found += services.compactMap {
                        Self.resource($0, facilityID: facility, doctorID: doctorID, addressID: addressID)
                    }
                }
                done += 1
            }
        }
        let resources = found.count
        found += try insuranceDictionary { id in
            progress(.init(done: done, total: total, resources: resources, current: "insurance provider \(id)"))
        }
        progress(.init(done: done, total: total, resources: found.count, current: "recording"))
        return found
    }

    /// The insurance providers and the plans of each: the dictionary is the same for every
    /// facility, so it is read once per walk, one GET per provider.
    private func insuranceDictionary(progress: (String) -> Void) throws(DocplannerError) -> [DocplannerResource] {
        var found: [DocplannerResource] = []
        for provider in try docplanner.getInsuranceProviders(priority: .low) {
            guard let id = provider.insuranceProviderID else { continue }
            progress(id)
            found.append(.init(kind: .insurance, id: id, name: provider.name ?? ""))
            let plans: [InsurancePlan]
            do {
                plans = try docplanner.getInsurancePlans(insuranceProviderID: id, priority: .low)
            } catch .notFound {
                // Gone since the list was read: it has no plans any more.
                plans = []
            } catch {
                throw error
            }
            for plan in plans {
                guard let planID = plan.insurancePlanID else { continue }
                found.append(.init(kind: .plan, id: planID, name: plan.name ?? "", insuranceProviderID: id))
            }
        }
        return found
    }

    /// Re-reads the address services of one address (after an `address-service-*` event).
    package func rediscoverServices(_ calendar: CalendarRef) throws(MappingError) -> MappingDrift {
        let services = try MappingError.docplanner { () throws(DocplannerError) in
            try docplanner.getAddressServices(
                facilityID: calendar.facilityID, doctorID: calendar.doctorID, addressID: calendar.addressID,
                priority: .low)
        }
        let found = services.compactMap {
            Self.resource(
                $0, facilityID: calendar.facilityID, doctorID: calendar.doctorID, addressID: calendar.addressID)
        }
        return try found.recorded(in: mappings, scope: .addressServices(addressID: calendar.addressID)).drift
    }

    static func resource(_ address: Address, facilityID: String, doctorID: String) -> DocplannerResource {
        var details: [String: String] = [:]
        if let street = address.street { details["street"] = street }
        if let city = address.cityName { details["city"] = city }
        return .init(
            kind: .address, id: address.id ?? "", name: address.name ?? "", facilityID: facilityID, doctorID: doctorID,
            addressID: address.id, details: details)
    }

    static func resource(
        _ service: AddressService, facilityID: String, doctorID: String, addressID: String
    ) -> DocplannerResource? {
        guard let id = service.id else { return nil }
        var details: [String: String] = [:]
        if let serviceID = service.serviceID { details["service_id"] = serviceID }
        if let price = service.price { details["price"] = String(price) }
        if let duration = service.duration { details["duration"] = String(duration) }
        if let isPriceFrom = service.isPriceFrom { details["is_price_from"] = isPriceFrom ? "true" : "false" }
        return .init(
            kind: .service, id: id, name: service.customName ?? service.name ?? "", facilityID: facilityID,
            doctorID: doctorID, addressID: addressID, details: details)
    }
}

extension [DocplannerResource] {
    fileprivate func recorded(in mappings: Mappings, scope: DiscoveryScope) throws(MappingError)
        -> ResourceDiscovery.Outcome
    {
        let drift = try MappingError.store { () throws(StoreError) in try mappings.recordDiscovery(self, scope: scope) }
        return .init(resources: self, drift: drift)
    }
}
