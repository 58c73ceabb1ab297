import Foundation
import SQLite

/// Docplanner's resources as discovered, and the partner id each one is mapped to.
/// Used by `dpbridge map`, activation and the inbound workers. Writes are small and rare;
/// they go through the control connection.
package final class Mappings: Sendable {
    let control: ControlConnection
    let clock: any StoreClock

    init(control: ControlConnection, clock: any StoreClock) {
        self.control = control
        self.clock = clock
    }

    /// Why a mapping was not changed.
    package enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// No such resource was ever discovered.
        case unknownResource(ResourceKind, String)
        case emptyPartnerID

        package var description: String {
            switch self {
            case .unknownResource(let kind, let id):
                "no \(kind.rawValue) \(id) was discovered (run `dpbridge map discover` first, or check the id)"
            case .emptyPartnerID: "the partner id is empty"
            }
        }
    }

    // MARK: - Discovery

    /// Records what one discovery found within `scope`: new resources are added, known
    /// ones refreshed (and revived if they had vanished), and those of the scope it did
    /// not find are marked vanished. Returns the drift against the previous discovery.
    @discardableResult
    package func recordDiscovery(_ found: [DocplannerResource], scope: DiscoveryScope) throws(StoreError)
        -> MappingDrift
    {
        let now = Date(timeIntervalSince1970: clock.now())
        return try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                var drift = MappingDrift()
                let known = try Self.selectResources(database, scope: scope)
                let knownIDs = Set(known.map { "\($0.resource.kind.rawValue)/\($0.resource.id)" })
                let upsert = try database.prepare(
                    """
                    INSERT INTO docplanner_resources
                        (kind, id, name, facility_id, doctor_id, address_id, insurance_provider_id, details, first_seen,
                            last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name, facility_id = excluded.facility_id,
                        doctor_id = excluded.doctor_id, address_id = excluded.address_id,
                        insurance_provider_id = excluded.insurance_provider_id, details = excluded.details,
                        last_seen = excluded.last_seen, vanished_at = NULL
                    """)
                let isMapped = try database.prepare("SELECT 1 FROM mappings WHERE kind = ? AND docplanner_id = ?")
                var seen = Set<String>()
                for resource in found {
                    let key = "\(resource.kind.rawValue)/\(resource.id)"
                    guard seen.insert(key).inserted else { continue }
                    try upsert.run([
                        .text(resource.kind.rawValue), .text(resource.id), .text(resource.name),
                        Self.optional(resource.facilityID), Self.optional(resource.doctorID),
                        Self.optional(resource.addressID), Self.optional(resource.insuranceProviderID),
                        .text(Self.encode(resource.details)),
                        .real(now.timeIntervalSince1970), .real(now.timeIntervalSince1970),
                    ])
                    if !knownIDs.contains(key) {
                        try isMapped.bind([.text(resource.kind.rawValue), .text(resource.id)])
                        let mapped = try isMapped.step()
                        isMapped.reset()
                        if !mapped { drift.newUnmapped.append(resource) }
                    }
                }
                let vanish = try database.prepare(
                    "UPDATE docplanner_resources SET vanished_at = ? WHERE kind = ? AND id = ? AND vanished_at IS NULL")
                for entry in known where !seen.contains("\(entry.resource.kind.rawValue)/\(entry.resource.id)") {
                    guard entry.resource.vanishedAt == nil else { continue }
                    try vanish.run([
                        .real(now.timeIntervalSince1970), .text(entry.resource.kind.rawValue), .text(entry.resource.id),
                    ])
                    if entry.mapping != nil {
                        var resource = entry.resource
                        resource.vanishedAt = now
                        drift.vanishedMapped.append(resource)
                    }
                }
                return drift
            }
        }
    }

    // MARK: - Reading

    /// Discovered resources with their mappings, in kind then id order. `facilityID`
    /// narrows to one facility (insurance providers and plans, which belong to none, are kept).
    package func list(
        kind: ResourceKind? = nil, facilityID: String? = nil, includeVanished: Bool = true
    ) throws(StoreError) -> [MappedResource] {
        try control.with { database throws(StoreError) in
            // One kind is read alone (profile feeding reads the plans for each address).
            let rows =
                if let kind {
                    try Self.selectResources(database, where: "r.kind = ?", [.text(kind.rawValue)])
                } else {
                    try Self.selectResources(database, scope: .everything)
                }
            return rows.filter { entry in
                (facilityID == nil || entry.resource.kind.isDictionary || entry.resource.facilityID == facilityID)
                    && (includeVanished || entry.resource.vanishedAt == nil)
            }
        }
    }

    /// The resource `kind`/`id` with its mapping, nil when never discovered.
    package func resource(_ kind: ResourceKind, _ id: String) throws(StoreError) -> MappedResource? {
        try control.with { database throws(StoreError) in
            try Self.selectResources(database, where: "r.kind = ? AND r.id = ?", [.text(kind.rawValue), .text(id)])
                .first
        }
    }

    /// The partner id `kind`/`docplannerID` is mapped to.
    package func partnerID(_ kind: ResourceKind, _ docplannerID: String) throws(StoreError) -> String? {
        try control.with { database throws(StoreError) in
            let select = try database.prepare("SELECT partner_id FROM mappings WHERE kind = ? AND docplanner_id = ?")
            try select.bind([.text(kind.rawValue), .text(docplannerID)])
            defer { select.reset() }
            return try select.step() ? select.text(0) : nil
        }
    }

    /// Every mapping, in kind then Docplanner id order.
    package func mappings(kind: ResourceKind? = nil) throws(StoreError) -> [ResourceMapping] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT kind, docplanner_id, partner_id, source, confidence, updated_at FROM mappings
                WHERE CAST(?1 AS TEXT) IS NULL OR kind = ?1 ORDER BY kind, docplanner_id
                """)
            try select.bind([kind.map { .text($0.rawValue) } ?? .null])
            defer { select.reset() }
            var result: [ResourceMapping] = []
            while try select.step() {
                guard let mapping = Self.mapping(select, from: 0) else { continue }
                result.append(mapping)
            }
            return result.sorted { ($0.kind, $0.docplannerID) < ($1.kind, $1.docplannerID) }
        }
    }

    /// Counts over the resources not vanished, plus mappings left pointing at vanished ones.
    package func summary() throws(StoreError) -> MappingSummary {
        try control.with { database throws(StoreError) in
            var summary = MappingSummary()
            summary.resources = Int(
                try database.scalar("SELECT COUNT(*) FROM docplanner_resources WHERE vanished_at IS NULL"))
            summary.mapped = Int(
                try database.scalar(
                    """
                    SELECT COUNT(*) FROM docplanner_resources r JOIN mappings m ON m.kind = r.kind AND m.docplanner_id = r.id
                    WHERE r.vanished_at IS NULL
                    """))
            summary.unmapped = summary.resources - summary.mapped
            summary.vanishedMapped = Int(
                try database.scalar(
                    """
                    SELECT COUNT(*) FROM mappings m JOIN docplanner_resources r ON m.kind = r.kind AND m.docplanner_id = r.id
                    WHERE r.vanished_at IS NOT NULL
                    """))
            return summary
        }
    }

    /// `summary()` for each kind discovered (kinds never discovered are absent): the
    /// status page's mapping coverage.
    package func summaryByKind() throws(StoreError) -> [ResourceKind: MappingSummary] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT r.kind,
                    SUM(CASE WHEN r.vanished_at IS NULL THEN 1 ELSE 0 END),
                    SUM(CASE WHEN r.vanished_at IS NULL AND m.kind IS NOT NULL THEN 1 ELSE 0 END),
                    SUM(CASE WHEN r.vanished_at IS NOT NULL AND m.kind IS NOT NULL THEN 1 ELSE 0 END)
                FROM docplanner_resources r LEFT JOIN mappings m ON m.kind = r.kind AND m.docplanner_id = r.id
                GROUP BY r.kind
                """)
            defer { select.reset() }
            var result: [ResourceKind: MappingSummary] = [:]
            while try select.step() {
                guard let kind = ResourceKind(rawValue: select.text(0) ?? "") else { continue }
                var summary = MappingSummary()
                summary.resources = select.int(1)
                summary.mapped = select.int(2)
                summary.unmapped = summary.resources - summary.mapped
                summary.vanishedMapped = select.int(3)
                result[kind] = summary
            }
            return result
        }
    }

    // MARK: - Writing

    /// Binds `kind`/`docplannerID` (which discovery must have seen) to `partnerID`,
    /// replacing an earlier binding. Returns the previous partner id.
    @discardableResult
    package func set(
        _ kind: ResourceKind, _ docplannerID: String, to partnerID: String, source: ResourceMapping.Source,
        confidence: Double? = nil
    ) throws -> String? {
        let partnerID = partnerID.trimmingCharacters(in: .whitespaces)
        guard !partnerID.isEmpty else { throw Refusal.emptyPartnerID }
        let now = Date(timeIntervalSince1970: clock.now())
        return try control.with { database throws(StoreError) in
            try database.transaction { () throws(StoreError) -> Result<String?, Refusal> in
                guard
                    try database.scalar(
                        "SELECT COUNT(*) FROM docplanner_resources WHERE kind = ? AND id = ?", .text(kind.rawValue),
                        .text(docplannerID)) > 0
                else { return .failure(.unknownResource(kind, docplannerID)) }
                let previous = try database.prepare(
                    "SELECT partner_id FROM mappings WHERE kind = ? AND docplanner_id = ?")
                try previous.bind([.text(kind.rawValue), .text(docplannerID)])
                let old = try previous.step() ? previous.text(0) : nil
                previous.reset()
                try database.prepare(
                    """
                    INSERT INTO mappings (kind, docplanner_id, partner_id, source, confidence, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (kind, docplanner_id) DO UPDATE SET partner_id = excluded.partner_id,
                        source = excluded.source, confidence = excluded.confidence, updated_at = excluded.updated_at
                    """
                ).run([
                    .text(kind.rawValue), .text(docplannerID), .text(partnerID), .text(source.rawValue),
                    confidence.map { .real($0) } ?? .null, .real(now.timeIntervalSince1970),
                ])
                return .success(old)
            }
        }.get()
    }

    /// Removes the binding of `kind`/`docplannerID`; false when there was none.
    @discardableResult
    package func unset(_ kind: ResourceKind, _ docplannerID: String) throws(StoreError) -> Bool {
        try control.with { database throws(StoreError) in
            try database.prepare("DELETE FROM mappings WHERE kind = ? AND docplanner_id = ?")
                .run([.text(kind.rawValue), .text(docplannerID)])
            return database.changes > 0
        }
    }

    /// One line of a bulk change: bind, or (nil partner id) unbind.
    package struct Change: Sendable, Equatable {
        package var kind: ResourceKind
        package var docplannerID: String
        package var partnerID: String?
        package init(kind: ResourceKind, docplannerID: String, partnerID: String?) {
            self.kind = kind
            self.docplannerID = docplannerID
            self.partnerID = partnerID
        }
    }

    /// Applies every change in one transaction, only if each names a discovered
    /// resource; otherwise nothing changes and the error lists each unknown one (by
    /// index in `changes`). Returns how many bindings were set and removed (changes that
    /// change nothing are not counted).
    package func apply(_ changes: [Change], source: ResourceMapping.Source) throws -> (set: Int, unset: Int) {
        let now = Date(timeIntervalSince1970: clock.now())
        let outcome = try control.with { database throws(StoreError) -> Result<(Int, Int), BulkRefusal> in
            try database.transaction { () throws(StoreError) -> Result<(Int, Int), BulkRefusal> in
                var unknown: [(Int, Refusal)] = []
                for (index, change) in changes.enumerated() {
                    let exists = try database.scalar(
                        "SELECT COUNT(*) FROM docplanner_resources WHERE kind = ? AND id = ?",
                        .text(change.kind.rawValue),
                        .text(change.docplannerID))
                    if exists == 0 { unknown.append((index, .unknownResource(change.kind, change.docplannerID))) }
                }
                guard unknown.isEmpty else { return .failure(BulkRefusal(refusals: unknown)) }
                var set = 0
                var unset = 0
                let upsert = try database.prepare(
                    """
                    INSERT INTO mappings (kind, docplanner_id, partner_id, source, confidence, updated_at)
                    VALUES (?, ?, ?, ?, NULL, ?)
                    ON CONFLICT (kind, docplanner_id) DO UPDATE SET partner_id = excluded.partner_id,
                        source = excluded.source, confidence = NULL, updated_at = excluded.updated_at
                    WHERE mappings.partner_id IS DISTINCT FROM excluded.partner_id
                    """)
                let delete = try database.prepare("DELETE FROM mappings WHERE kind = ? AND docplanner_id = ?")
                for change in changes {
                    if let partnerID = change.partnerID, !partnerID.isEmpty {
                        try upsert.run([
                            .text(change.kind.rawValue), .text(change.docplannerID), .text(partnerID),
                            .text(source.rawValue), .real(now.timeIntervalSince1970),
                        ])
                        set += Int(database.changes)
                    } else {
                        try delete.run([.text(change.kind.rawValue), .text(change.docplannerID)])
                        unset += Int(database.changes)
                    }
                }
                return .success((set, unset))
            }
        }
        return try outcome.get()
    }

    /// Why a bulk change was refused as a whole: each refused line, by its index.
    package struct BulkRefusal: Error, Sendable, CustomStringConvertible {
        package var refusals: [(index: Int, refusal: Refusal)]
        package var description: String {
            refusals.map { "item \($0.index + 1): \($0.refusal)" }.joined(separator: "; ")
        }
    }

    // MARK: - SQL

    private static func selectResources(
        _ database: Connection, scope: DiscoveryScope
    ) throws(StoreError) -> [MappedResource] {
        switch scope {
        case .everything:
            return try selectResources(database, where: "TRUE", [])
        case .facility(let id):
            return try selectResources(
                database,
                where: "r.kind IN (\(dictionaryKinds)) OR (r.kind = 'facility' AND r.id = ?1) OR r.facility_id = ?1",
                [.text(id)])
        case .addressServices(let addressID):
            return try selectResources(database, where: "r.kind = 'service' AND r.address_id = ?", [.text(addressID)])
        }
    }

    private static func selectResources(
        _ database: Connection, where condition: String, _ values: [StatementValue]
    ) throws(StoreError) -> [MappedResource] {
        let select = try database.prepare(
            """
            SELECT m.kind, m.docplanner_id, m.partner_id, m.source, m.confidence, m.updated_at,
                r.kind, r.id, r.name, r.facility_id, r.doctor_id, r.address_id, r.details, r.vanished_at,
                r.insurance_provider_id
            FROM docplanner_resources r LEFT JOIN mappings m ON m.kind = r.kind AND m.docplanner_id = r.id
            WHERE \(condition)
            """)
        try select.bind(values)
        defer { select.reset() }
        var result: [MappedResource] = []
        while try select.step() {
            guard let kind = ResourceKind(rawValue: select.text(6) ?? "") else { continue }
            let resource = DocplannerResource(
                kind: kind, id: select.text(7) ?? "", name: select.text(8) ?? "", facilityID: select.text(9),
                doctorID: select.text(10), addressID: select.text(11), insuranceProviderID: select.text(14),
                details: decode(select.text(12)),
                vanishedAt: select.isNull(13) ? nil : Date(timeIntervalSince1970: select.double(13)))
            result.append(MappedResource(resource: resource, mapping: mapping(select, from: 0)))
        }
        return result.sorted { lhs, rhs in
            if lhs.resource.kind != rhs.resource.kind { return lhs.resource.kind < rhs.resource.kind }
            return naturalLess(lhs.resource.id, rhs.resource.id)
        }
    }

    private static func mapping(_ select: PreparedStatement, from column: Int32) -> ResourceMapping? {
        guard let kind = ResourceKind(rawValue: select.text(column) ?? ""),
            let source = ResourceMapping.Source(rawValue: select.text(column + 3) ?? "")
        else { return nil }
        return ResourceMapping(
            kind: kind, docplannerID: select.text(column + 1) ?? "", partnerID: select.text(column + 2) ?? "",
            source: source, confidence: select.isNull(column + 4) ? nil : select.double(column + 4),
            updatedAt: Date(timeIntervalSince1970: select.double(column + 5)))
    }

    /// Numeric ids in numeric order ("9" before "10"), others as text.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b) { return x < y }
        return a < b
    }

    /// The kinds of Docplanner's dictionary as an SQL list (`'insurance', 'plan'`).
    private static let dictionaryKinds = ResourceKind.allCases.filter(\.isDictionary).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")

    private static func optional(_ text: String?) -> StatementValue { text.map { .text($0) } ?? .null }

    private static func encode(_ details: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decode(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        else { return [:] }
        return object
    }
}
