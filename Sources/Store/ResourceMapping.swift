import Foundation

/// A Docplanner resource bound to the partner system's id for it.
package struct ResourceMapping: Sendable, Equatable {
    /// How a mapping was made.
    package enum Source: String, Sendable, Codable {
        /// `map set`.
        case manual
        /// `map auto --apply`.
        case auto
        /// `map import`.
        case `import`
        /// Profile feeding created the Docplanner resource for a partner one.
        case feed
    }

    package var kind: ResourceKind
    package var docplannerID: String
    package var partnerID: String
    package var source: Source
    /// `map auto`'s score (0…1); nil for other sources.
    package var confidence: Double?
    package var updatedAt: Date

    package init(
        kind: ResourceKind, docplannerID: String, partnerID: String, source: Source, confidence: Double? = nil,
        updatedAt: Date = SteadyClock().date()
    ) {
        self.kind = kind
        self.docplannerID = docplannerID
        self.partnerID = partnerID
        self.source = source
        self.confidence = confidence
        self.updatedAt = updatedAt
    }
}

/// A discovered resource with its mapping, if any (`map list`).
package struct MappedResource: Sendable, Equatable {
    package var resource: DocplannerResource
    package var mapping: ResourceMapping?
}

/// Counts for `status` and metrics.
package struct MappingSummary: Sendable, Equatable, Codable {
    package var resources = 0
    package var mapped = 0
    package var unmapped = 0
    /// Mappings whose Docplanner resource vanished.
    package var vanishedMapped = 0
    package init() {}
}
