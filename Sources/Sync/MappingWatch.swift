import DocplannerAPI
import Foundation
import Logging
import Partner
import Scheduling
import Store
import Synchronization

/// Keeps the mappings honest while the daemon runs: warns about unmapped ids events
/// name (`UnmappedReferences`), walks Docplanner again every `discoverInterval` once an
/// operator ran `map discover`, and re-reads an address's services soon after an
/// `address-service-*` event (several within `coalesceWindow` become one read). Each
/// walk's drift is logged and the mappings are published into the calendar file.
package final class MappingWatch: BackgroundPart {
    private let discovery: ResourceDiscovery
    private let mappings: Mappings
    private let calendarFile: EmbeddedPartner?
    private let discoverInterval: Double
    private let coalesceWindow: Double
    private let logger: Logger
    private let unmapped: UnmappedReferences
    /// Intervals are measured on it (never stepped with the wall clock).
    private let clock: any DaemonClock
    private let loop: BackgroundLoop
    /// When the next whole walk is due (nil: never).
    private let nextWalk = Mutex<Date?>(nil)
    /// Addresses whose services are to be read again, by address id, with when.
    private let pending = Mutex<[String: (calendar: CalendarRef, due: Date)]>([:])
    private let walks = Atomic<Int>(0)

    /// `discoverInterval` 0 turns the periodic walk off. `onUnmapped` hears of each
    /// unmapped id an event names (metrics).
    package init(
        docplanner: DocplannerClient, mappings: Mappings, calendarFile: EmbeddedPartner?, discoverInterval: Double,
        coalesceWindow: Double = 2, logger: Logger, clock: any DaemonClock = SteadyClock(),
        scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil,
        onUnmapped: @escaping @Sendable (ResourceKind) -> Void = { _ in }
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        self.clock = clock
        discovery = ResourceDiscovery(docplanner: docplanner, mappings: mappings)
        self.mappings = mappings
        self.calendarFile = calendarFile
        self.discoverInterval = discoverInterval
        self.coalesceWindow = coalesceWindow
        self.logger = logger
        unmapped = UnmappedReferences(mappings: mappings, logger: logger, onUnmapped: onUnmapped)
    }

    /// Walks finished since start (whole, or one address's services).
    package var walkCount: Int { walks.load(ordering: .relaxed) }

    /// For `InboundProcessor(onApplied:)`: checks the ids, and schedules a re-read of
    /// the address's services after an `address-service-*` event. Never blocks on Docplanner.
    /// `changes`: the event's translation, which the ids of its services come from.
    package func observe(_ notification: DocplannerNotification, changes: [PartnerChange]? = nil) {
        unmapped.check(notification, changes: changes)
        switch notification.event {
        case .addressServiceCreated, .addressServiceChanged, .addressServiceDeleted:
            let place = notification.event.place
            guard let facility = place.facility?.id, let doctor = place.doctor?.id, let address = place.address?.id
            else { return }
            let calendar = CalendarRef(facilityID: facility, doctorID: doctor, addressID: address)
            let due = clock.date().addingTimeInterval(coalesceWindow)
            pending.withLock { $0[address] = ($0[address]?.calendar ?? calendar, $0[address]?.due ?? due) }
            loop.wake()
        default:
            return
        }
    }

    package func start() {
        nextWalk.withLock { $0 = discoverInterval > 0 ? clock.date() : nil }
        loop.start(name: "mappings") { [self] in turn() }
    }

    package func stop() {
        loop.stop()
    }

    /// Out of the watchdog: a walk makes many calls to Docplanner, each bounded by the
    /// client's timeout; a slow Docplanner is no reason to restart the daemon.
    package var heartbeat: UInt64? { nil }

    /// Re-reads the addresses that are due, walks everything when due; returns the
    /// seconds until the next turn.
    private func turn() -> Double {
        // A failed or skipped walk is looked at again this much later.
        let recheck = discoverInterval > 0 ? min(discoverInterval, 600) : 0
        let now = clock.date()
        let due = pending.withLock { waiting in
            let ready = waiting.filter { $0.value.due <= now }
            for address in ready.keys { waiting[address] = nil }
            return ready.values.map(\.calendar)
        }
        for calendar in due.sorted(by: { $0.addressID < $1.addressID }) where !loop.isStopping {
            rediscover(calendar)
        }
        var walk = nextWalk.withLock { $0 }
        if let planned = walk, planned <= now, !loop.isStopping {
            walk = walkIfDue(now: now, recheck: recheck)
            nextWalk.withLock { $0 = walk }
        }
        let soonest = pending.withLock { $0.values.map(\.due).min() }
        let wake = [soonest, walk].compactMap { $0 }.min()
        return wake.map { max(0.05, $0.timeIntervalSince(clock.date())) } ?? 3600
    }

    /// Walks everything when the last walk is `discoverInterval` old; returns when to look again.
    private func walkIfDue(now: Date, recheck: Double) -> Date {
        let last: Date?
        do {
            last = try mappings.lastDiscovery()
        } catch {
            return now.addingTimeInterval(recheck)
        }
        // Nothing was ever discovered: the operator has not started mapping; nothing to keep up.
        guard let last else { return now.addingTimeInterval(recheck) }
        let due = last.addingTimeInterval(discoverInterval)
        guard due <= now else { return due }
        do {
            let outcome = try discovery.discover()
            walks.add(1, ordering: .relaxed)
            logger.info(
                "Docplanner's resources discovered again",
                metadata: [
                    "event": "mapping-discovered", "resources": "\(outcome.resources.count)",
                    "vanished_mapped": "\(outcome.drift.vanishedMapped.count)",
                    "new_unmapped": "\(outcome.drift.newUnmapped.count)",
                ])
            report(outcome.drift)
            return now.addingTimeInterval(discoverInterval)
        } catch {
            logger.warning(
                "cannot discover Docplanner's resources again; will retry",
                metadata: ["event": "mapping-discovery-failed", "error": "\(error)", "retry_in_s": "\(Int(recheck))"])
            return now.addingTimeInterval(recheck)
        }
    }

    private func rediscover(_ calendar: CalendarRef) {
        do {
            let drift = try discovery.rediscoverServices(calendar)
            walks.add(1, ordering: .relaxed)
            report(drift)
        } catch {
            logger.warning(
                "cannot re-read an address's services",
                metadata: [
                    "event": "mapping-discovery-failed", "address_id": "\(calendar.addressID)", "error": "\(error)",
                ])
        }
    }

    /// Logs each vanished mapped id and each new unmapped one, then publishes the mappings.
    private func report(_ drift: MappingDrift) {
        for resource in drift.vanishedMapped {
            let kind = resource.kind.rawValue
            logger.warning(
                "a mapped Docplanner \(kind) is gone; events about its replacement will not be understood",
                metadata: [
                    "event": "mapping-drift", "kind": "\(kind)", "id": "\(resource.id)", "name": "\(resource.name)",
                    "fix":
                        "map its replacement (dpbridge map set \(kind) <new id> <partner id>), then dpbridge map unset \(kind) \(resource.id)",
                ])
        }
        for resource in drift.newUnmapped {
            let kind = resource.kind.rawValue
            logger.notice(
                "Docplanner has a new \(kind) that is not mapped",
                metadata: [
                    "event": "mapping-new-unmapped", "kind": "\(kind)", "id": "\(resource.id)",
                    "name": "\(resource.name)",
                    "fix": "dpbridge map set \(kind) \(resource.id) <partner id>",
                ])
        }
        guard let calendarFile else { return }
        do {
            try calendarFile.publishMappings(try mappings.mappings().map(CalendarMapping.init))
        } catch {
            logger.warning(
                "cannot publish the mappings into the calendar",
                metadata: ["event": "mapping-publish-failed", "error": "\(error)"])
        }
    }
}
