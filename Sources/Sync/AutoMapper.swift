import Foundation
import Partner
import Store

/// Proposes a partner id for each unmapped Docplanner resource by comparing names (and
/// license numbers, street and city, dictionary service ids where present) with the
/// clinic's catalog; insurance plans among the plans of their provider's clinic
/// insurance. Proposals are only suggestions: `map auto --apply` records those at or
/// above a confidence threshold.
package enum AutoMapper {
    /// One suggested binding.
    package struct Proposal: Sendable, Equatable, Codable {
        package var kind: ResourceKind
        package var docplannerID: String
        package var docplannerName: String
        package var partnerID: String
        package var partnerName: String
        /// 0…1.
        package var confidence: Double
        /// Why: `license number`, `dictionary service`, `same name`, `similar name`, `ambiguous`
        /// (a plan whose provider is only proposed adds `, provider not yet mapped`).
        package var reason: String
    }

    /// Proposals for the resources in `resources` that have no mapping yet, best first
    /// within each kind. Resources without any candidate scoring above zero get none.
    ///
    /// A plan is matched only among the plans of the clinic insurance its provider is
    /// mapped to, or proposed for here (then the plan is never more certain than its
    /// provider, so `--apply` records a plan only with its provider).
    package static func propose(for resources: [MappedResource], catalog: ClinicCatalog) -> [Proposal] {
        let open = resources.filter { $0.mapping == nil && $0.resource.vanishedAt == nil }
        var proposals = open.filter { $0.resource.kind != .plan }.compactMap {
            proposal($0.resource, among: candidates($0.resource.kind, catalog))
        }
        var insuranceOfProvider: [String: (partnerID: String, confidence: Double)] = [:]
        for entry in resources where entry.resource.kind == .insurance {
            if let mapping = entry.mapping { insuranceOfProvider[entry.resource.id] = (mapping.partnerID, 1) }
        }
        for proposal in proposals where proposal.kind == .insurance {
            insuranceOfProvider[proposal.docplannerID] = (proposal.partnerID, proposal.confidence)
        }
        for entry in open where entry.resource.kind == .plan {
            guard let provider = entry.resource.insuranceProviderID, let insurance = insuranceOfProvider[provider]
            else { continue }
            let plans = catalog.insurancePlans.filter { $0.details["insurance_id"] == insurance.partnerID }
            guard var proposal = proposal(entry.resource, among: plans) else { continue }
            if insurance.confidence < proposal.confidence {
                proposal.confidence = insurance.confidence
                proposal.reason += ", provider not yet mapped"
            }
            proposals.append(proposal)
        }
        return proposals
    }

    /// The best of `candidates` for `resource`, nil when none scores above zero.
    static func proposal(_ resource: DocplannerResource, among candidates: [ClinicCatalog.Entry]) -> Proposal? {
        var scored = candidates.map { candidate in (candidate, score(resource, candidate)) }
            .filter { $0.1.0 > 0 }
        scored.sort { $0.1.0 > $1.1.0 }
        guard let best = scored.first else { return nil }
        var confidence = best.1.0
        var reason = best.1.1
        if scored.count > 1, scored[1].1.0 == confidence, confidence < 1 || scored[1].1.1 == reason {
            // Two candidates alike: a person must choose.
            confidence /= 2
            reason = "ambiguous (\(best.0.id) or \(scored[1].0.id))"
        }
        return Proposal(
            kind: resource.kind, docplannerID: resource.id, docplannerName: resource.name, partnerID: best.0.id,
            partnerName: best.0.name, confidence: (confidence * 100).rounded() / 100, reason: reason)
    }

    /// The clinic's resources a Docplanner resource of `kind` may be mapped to.
    package static func candidates(_ kind: ResourceKind, _ catalog: ClinicCatalog) -> [ClinicCatalog.Entry] {
        switch kind {
        case .facility: catalog.facilities
        case .doctor: catalog.doctors
        case .address: catalog.locations
        case .service: catalog.services
        case .insurance: catalog.insurances
        case .plan: catalog.insurancePlans
        }
    }

    /// The score of `candidate` for `resource`, and why.
    static func score(_ resource: DocplannerResource, _ candidate: ClinicCatalog.Entry) -> (Double, String) {
        switch resource.kind {
        case .doctor:
            if let ours = resource.details["license_number"], let theirs = candidate.details["license_number"],
                !ours.isEmpty, NameSimilarity.normalizedLicense(ours) == NameSimilarity.normalizedLicense(theirs)
            {
                return (1, "license number")
            }
        case .service:
            if let ours = resource.details["service_id"], let theirs = candidate.details["service_id"] {
                // A declared dictionary service decides alone.
                return ours == theirs ? (1, "dictionary service") : (0, "")
            }
        case .address:
            let name = NameSimilarity.score(resource.name, candidate.name)
            let place = NameSimilarity.score(
                [resource.details["street"], resource.details["city"]].compactMap { $0 }.joined(separator: " "),
                [candidate.details["street"], candidate.details["city"]].compactMap { $0 }.joined(separator: " "))
            let hasPlace = candidate.details["street"] != nil
            let combined = hasPlace ? (name * 2 + place) / 3 : name
            return (combined, combined == 1 ? "same name and street" : "similar name")
        case .facility, .insurance, .plan:
            break
        }
        let name = NameSimilarity.score(resource.name, candidate.name)
        return (name, name == 1 ? "same name" : "similar name")
    }
}
