import Foundation

/// Where an id named by an incoming event stands against the mappings.
package enum ReferenceState: Sendable, Equatable {
    /// Bound to a partner id (even if it has vanished since).
    case mapped
    /// Discovered, not bound.
    case unmapped
    /// Never discovered.
    case undiscovered
}

extension Mappings {
    /// Where `kind`/`id` stands: one primary-key lookup, cheap enough for every event.
    package func referenceState(_ kind: ResourceKind, _ id: String) throws(StoreError) -> ReferenceState {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT m.partner_id IS NOT NULL FROM docplanner_resources r
                LEFT JOIN mappings m ON m.kind = r.kind AND m.docplanner_id = r.id
                WHERE r.kind = ? AND r.id = ?
                """)
            try select.bind([.text(kind.rawValue), .text(id)])
            defer { select.reset() }
            guard try select.step() else { return .undiscovered }
            return select.int(0) != 0 ? .mapped : .unmapped
        }
    }

    /// When facilities were last walked (`map discover`, or the daemon's periodic
    /// discovery); nil when discovery never ran. Re-reading one address's services does
    /// not count.
    package func lastDiscovery() throws(StoreError) -> Date? {
        try control.with { database throws(StoreError) in
            let select = try database.prepare("SELECT MAX(last_seen) FROM docplanner_resources WHERE kind = 'facility'")
            defer { select.reset() }
            guard try select.step(), !select.isNull(0) else { return nil }
            return Date(timeIntervalSince1970: select.double(0))
        }
    }

    /// True once any discovery recorded something.
    package func hasDiscovered() throws(StoreError) -> Bool {
        try control.with { database throws(StoreError) in
            try database.scalar("SELECT EXISTS (SELECT 1 FROM docplanner_resources)") != 0
        }
    }
}
