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
    /// References found mapped lately, and when (`WorkScheduler.now()`): asked again only
    /// after `mappedFor` seconds, so that a busy calendar's events do not each ask the store
    /// about the same four ids. A mapping removed meanwhile is reported that much later.
    private let mappedLately = Mutex<[String: Double]>([:])
    private static let mappedFor = 60.0
    private static let mappedLatelyLimit = 10_000

    /// `onUnmapped` hears of every unmapped reference, reported before or not (metrics).
    package init(mappings: Mappings, logger: Logger, onUnmapped: @escaping @Sendable (ResourceKind) -> Void = { _ in })
    {
        self.mappings = mappings
        self.logger = logger
        self.onUnmapped = onUnmapped
    }

    /// Checks the ids `notification` names. Ids never discovered count only once some
    /// discovery ran (before that, nothing is mapped and `activate` says so).
    package func check(_ notification: DocplannerNotification) {
        var discoveryRan: Bool?
        let now = WorkScheduler.now()
        for (kind, id) in Self.references(in: notification) {
            let key = "\(kind.rawValue)/\(id)"
            if let seen = mappedLately.withLock({ $0[key] }), now - seen < Self.mappedFor { continue }
            guard let state = try? mappings.referenceState(kind, id) else { continue }
            guard state != .mapped else {
                mappedLately.withLock { lately in
                    if lately.count >= Self.mappedLatelyLimit { lately.removeAll(keepingCapacity: true) }
                    lately[key] = now
                }
                continue
            }
            if state == .undiscovered {
                if discoveryRan == nil { discoveryRan = (try? mappings.hasDiscovered()) ?? false }
                guard discoveryRan == true else { continue }
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

    /// The facility, doctor, address and address service an event names. The service of
    /// `address-service-created` is new (re-discovery reports it) and that of
    /// `address-service-deleted` gone, so neither is checked.
    static func references(in notification: DocplannerNotification) -> [(ResourceKind, String)] {
        let place = notification.event.place
        var found: [(ResourceKind, String)] = [
            (.facility, place.facility?.id), (.doctor, place.doctor?.id), (.address, place.address?.id),
        ].compactMap { kind, id in id.flatMap { $0.isEmpty ? nil : (kind, $0) } }
        guard case .success(let changes) = NotificationTranslator.changes(for: notification) else { return found }
        for change in changes {
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
