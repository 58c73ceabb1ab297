import DocplannerAPI
import Logging
import Partner
import Scheduling
import Store
import Synchronization

/// Warns about the Docplanner ids an applied event names that are not mapped: once per
/// resource per process life (event `unmapped-resource`, with the command that fixes
/// it). Each check is a primary-key lookup; the event itself is never held up or failed.
package final class UnmappedReferences: Sendable {
    private let mappings: Mappings
    private let logger: Logger
    private let onUnmapped: @Sendable (ResourceKind) -> Void
    private let reported = Mutex<Set<String>>([])
    /// Where references stood lately, and when (`WorkScheduler.now()`), so that a busy
    /// calendar's events do not each ask the store about the same four ids: a mapped one is
    /// asked again after `mappedFor` seconds (a mapping removed meanwhile is reported that
    /// much later), an unmapped or never-discovered one after `unmappedFor` (a mapping set
    /// meanwhile stops the reports that much later; each event is still counted).
    private let lately = Mutex<[String: (state: ReferenceState, at: Double)]>([:])
    private static let mappedFor = 60.0
    private static let unmappedFor = 10.0
    private static let latelyLimit = 10_000
    /// When a discovery was last found to have run, or found not to have (asked again
    /// after `unmappedFor`; once it has run, it has).
    private let discovery = Mutex<(ran: Bool, at: Double)?>(nil)

    /// `onUnmapped` hears of every unmapped reference, reported before or not (metrics).
    package init(mappings: Mappings, logger: Logger, onUnmapped: @escaping @Sendable (ResourceKind) -> Void = { _ in })
    {
        self.mappings = mappings
        self.logger = logger
        self.onUnmapped = onUnmapped
    }

    /// Checks the ids `notification` names. Ids never discovered count only once some
    /// discovery ran (before that, nothing is mapped and `activate` says so). `changes`:
    /// the event's translation when the caller has it (else it is translated here).
    package func check(_ notification: DocplannerNotification, changes: [PartnerChange]? = nil) {
        let now = WorkScheduler.now()
        for (kind, id) in Self.references(in: notification, changes: changes) {
            let key = "\(kind.rawValue)/\(id)"
            guard let state = state(of: kind, id, key: key, now: now), state != .mapped else { continue }
            if state == .undiscovered {
                guard discoveryRan(now: now) else { continue }
            }
            onUnmapped(kind)
            guard reported.withLock({ $0.insert(key).inserted }) else { continue }
            let fix =
                state == .unmapped
                ? "dpbridge map set \(kind.rawValue) \(id) <partner id>" : "dpbridge map discover"
            logger.warning(
                "an event names a Docplanner \(kind.rawValue) that is not mapped to the clinic's",
                metadata: [
                    "event": "unmapped-resource", "kind": "\(kind.rawValue)", "id": "\(id)",
                    "state": "\(state == .unmapped ? "unmapped" : "never-discovered")",
                    "docplanner_event": "\(notification.name)",
                    "fix": "\(fix)",
                ])
        }
    }

    /// `kind`/`id`'s state, from what was learnt lately or from the store (nil: the store
    /// could not say).
    private func state(of kind: ResourceKind, _ id: String, key: String, now: Double) -> ReferenceState? {
        if let known = lately.withLock({ $0[key] }),
            now - known.at < (known.state == .mapped ? Self.mappedFor : Self.unmappedFor)
        {
            return known.state
        }
        guard let state = try? mappings.referenceState(kind, id) else { return nil }
        lately.withLock { lately in
            if lately.count >= Self.latelyLimit { lately.removeAll(keepingCapacity: true) }
            lately[key] = (state, now)
        }
        return state
    }

    /// Whether any discovery has run (nil from the store counts as not).
    private func discoveryRan(now: Double) -> Bool {
        if let known = discovery.withLock({ $0 }), known.ran || now - known.at < Self.unmappedFor { return known.ran }
        let ran = (try? mappings.hasDiscovered()) ?? false
        discovery.withLock { $0 = (ran, now) }
        return ran
    }

    /// The facility, doctor, address and address service an event names. The service of
    /// `address-service-created` is new (re-discovery reports it) and that of
    /// `address-service-deleted` gone, so neither is checked.
    static func references(
        in notification: DocplannerNotification, changes: [PartnerChange]? = nil
    ) -> [(ResourceKind, String)] {
        let place = notification.event.place
        var found: [(ResourceKind, String)] = [
            (.facility, place.facility?.id), (.doctor, place.doctor?.id), (.address, place.address?.id),
        ].compactMap { kind, id in id.flatMap { $0.isEmpty ? nil : (kind, $0) } }
        let translated: [PartnerChange]
        if let changes {
            translated = changes
        } else if case .success(let changes) = NotificationTranslator.changes(for: notification) {
            translated = changes
        } else {
            return found
        }
        for change in translated {
            let service: String?
            switch change {
            case .booked(let booking), .canceled(let booking), .confirmed(let booking), .moved(_, let booking):
                service = booking.serviceID
            case .addressServiceSet(let item) where notification.name != "address-service-created":
                service = item.docplannerID
            default:
                service = nil
            }
            if let service, !service.isEmpty, !found.contains(where: { $0 == (.service, service) }) {
                found.append((.service, service))
            }
        }
        return found
    }
}
