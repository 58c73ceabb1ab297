import Foundation

/// A Docplanner resource bound to the partner system's id for it.
public struct ResourceMapping: Sendable, Equatable {
    /// How a mapping was made.
    public enum Source: String, Sendable, Codable {
        /// `map set`.
        case manual
        /// `map auto --apply`.
        case auto
        /// `map import`.
        case `import`
        /// Profile feeding created the Docplanner resource for a partner one.
        case feed
    }

    public var kind: ResourceKind
    public var docplannerID: String
    public var partnerID: String
    public var source: Source
    /// `map auto`'s score (0…1); nil for other sources.
    public var confidence: Double?
    public var updatedAt: Date

    public init(
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
public struct MappedResource: Sendable, Equatable {
    public var resource: DocplannerResource
    public var mapping: ResourceMapping?
}

/// Counts for `status` and metrics.
public struct MappingSummary: Sendable, Equatable, Codable {
    public var resources = 0
    public var mapped = 0
    public var unmapped = 0
    /// Mappings whose Docplanner resource vanished.
    public var vanishedMapped = 0
    public init() {}
}
