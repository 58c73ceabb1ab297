import Synchronization

/// The owner of a SQLite connection that it opens at first use and may close between
/// uses: the next use opens it again.
package protocol ReopenableConnection: AnyObject, Sendable {
    /// Closes the connection unless it is in use now (never waits); true when it closed it.
    func closeUnlessBusy() -> Bool
}

/// The reopenable connections of the process that are open, in the order of their last
/// use. A daemon serving a thousand clinics would otherwise hold every clinic's calendar
/// and store-read connections open, ~250 KB each (parsed schema with its triggers,
/// prepared statements, page cache, the file's shared-memory index) whether used or not,
/// and most clinics are idle most of the time. Two rules close them:
///
/// - at most `limit` stay open: opening one more closes the least recently used idle
///   one, so a thousand clinics starting at once reuse a few connections' memory instead
///   of each leaving its own among the allocations that stay;
/// - `closeUnused(since:)` closes those not used since a mark (the daemon's idle sweep).
///
/// Owners report `opened`, `used` and `closed` while holding their own lock; the
/// connections chosen to close are closed after this registry's lock is released, each
/// by `closeUnlessBusy` (a try-lock), so two owners never wait for each other.
package final class OpenConnections: Sendable {
    /// The registry of the process's calendars and store reads.
    package static let shared = OpenConnections(limit: 64)

    /// How many may stay open before the least recently used idle one is closed.
    package let limit: Int
    private let state = Mutex(State())

    private struct State {
        var uses: UInt64 = 0
        /// The last use of each open connection (by its owner's identity).
        var lastUse: [ObjectIdentifier: UInt64] = [:]
        var owners: [ObjectIdentifier: WeakOwner] = [:]

        mutating func remove(_ id: ObjectIdentifier) {
            lastUse.removeValue(forKey: id)
            owners.removeValue(forKey: id)
        }
    }

    /// A class, so that the owners dictionary copies a reference, not a weak one.
    private final class WeakOwner {
        weak var owner: (any ReopenableConnection)?
        init(_ owner: any ReopenableConnection) { self.owner = owner }
    }

    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// `owner` opened its connection (and is using it).
    package func opened(_ owner: any ReopenableConnection) {
        let id = ObjectIdentifier(owner)
        let victims = state.withLock { state -> [any ReopenableConnection] in
            state.uses += 1
            state.lastUse[id] = state.uses
            if state.owners[id]?.owner !== owner { state.owners[id] = WeakOwner(owner) }
            var victims: [any ReopenableConnection] = []
            var passedOver: Set<ObjectIdentifier> = [id]
            // Usually one over the limit: a scan for the least recently used, no sort.
            while state.lastUse.count - victims.count > limit {
                var oldest: (id: ObjectIdentifier, use: UInt64)?
                for (candidate, use) in state.lastUse where !passedOver.contains(candidate) {
                    if use < oldest?.use ?? .max { oldest = (candidate, use) }
                }
                guard let oldest else { break }
                passedOver.insert(oldest.id)
                if let victim = state.owners[oldest.id]?.owner {
                    victims.append(victim)
                } else {
                    state.remove(oldest.id)  // released without saying so
                }
            }
            return victims
        }
        // A busy one stays open: it is in use, and a later open tries again.
        for victim in victims { _ = victim.closeUnlessBusy() }
    }

    /// `owner` uses its open connection.
    package func used(_ owner: any ReopenableConnection) {
        let id = ObjectIdentifier(owner)
        state.withLock { state in
            state.uses += 1
            if state.lastUse[id] != nil { state.lastUse[id] = state.uses }
        }
    }

    /// `owner` closed its connection (also from its `deinit`).
    package func closed(_ owner: any ReopenableConnection) {
        let id = ObjectIdentifier(owner)
        state.withLock { $0.remove(id) }
    }

    /// A mark for `closeUnused(since:)`: uses after it are later.
    package func mark() -> UInt64 {
        state.withLock { $0.uses }
    }

    /// Closes the connections not used since `mark` (those in use now stay open); returns
    /// how many it closed.
    @discardableResult
    package func closeUnused(since mark: UInt64) -> Int {
        let idle = state.withLock { state -> [any ReopenableConnection] in
            var idle: [any ReopenableConnection] = []
            for (id, use) in state.lastUse where use <= mark {
                if let owner = state.owners[id]?.owner {
                    idle.append(owner)
                } else {
                    state.remove(id)
                }
            }
            return idle
        }
        var closed = 0
        for owner in idle where owner.closeUnlessBusy() { closed += 1 }
        return closed
    }

    /// How many are open now.
    package var openCount: Int {
        state.withLock { $0.lastUse.count }
    }
}
