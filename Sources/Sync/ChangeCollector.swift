import Foundation
import Logging
import Partner
import Scheduling
import Store
import Synchronization

/// Moves the clinic's captured changes into the outbox: turns on the work pool read the
/// partner calendar's change log (at once on `wake()`; when the calendar's files are
/// written, at once and again `writeFollowUps` seconds later, because a write is seen before its
/// transaction commits; every `pollInterval` while a burst is under way; and while it is
/// empty every `watchedPollInterval` as a safety net, or every `idlePollInterval` when the
/// files cannot be watched), let a burst settle for `coalesceWindow` seconds (counted from
/// the first change seen), turns the batch into one job per booking, break and calendar
/// (so many edits of one calendar's hours become one slot feed), stores the jobs
/// durably, and only then forgets the captured changes. A crash in between re-reads the
/// same changes; the jobs they make again are idempotent.
///
/// Every `refreshInterval` (and at start) it also queues a slot feed for every calendar
/// with availability, so that the horizon moves forward day by day; and every
/// `reconcileInterval` (first one interval after start) a reconciliation of every
/// calendar it knows.
package final class ChangeCollector: BackgroundPart {
    private let calendar: any ClinicCalendar
    private let outbox: JobQueue
    private let coalesceWindow: Double
    private let pollInterval: Double
    private let idlePollInterval: Double
    private let watchedPollInterval: Double
    /// The calendar's files and the watch that tells of writes to them (nil: not watched).
    private let calendarFiles: (watch: FileWriteWatch, paths: [String])?
    /// Whether writes to the calendar's files wake the collector (set at start).
    private let watched = Atomic<Bool>(false)
    /// When (on `clock`) the calendar's files were last written.
    private let lastWrite = Mutex<Date?>(nil)
    /// Seconds after a write to the calendar's files at which the change log is read again:
    /// the writer's transaction commits (its fsync, then the WAL index) after the write
    /// was seen, in well under a second on a working disk.
    private let writeFollowUps: [Double]
    private let refreshInterval: Double
    private let reconcileInterval: Double?
    private let batchLimit: Int
    private let logger: Logger
    private let onEnqueued: @Sendable () -> Void
    /// Intervals are measured on it (never stepped with the wall clock).
    private let clock: any DaemonClock
    private let loop: BackgroundLoop
    /// When the first change of the burst was seen, and when slot feeds and reconciliations
    /// are due next.
    private let timing = Mutex<(firstSeen: Date?, nextRefresh: Date?, nextReconcile: Date?)>((nil, nil, nil))

    package init(
        calendar: any ClinicCalendar, outbox: JobQueue, coalesceWindow: Double = 0.5, pollInterval: Double = 0.1,
        idlePollInterval: Double = 1, watchedPollInterval: Double = 300,
        calendarFiles: (watch: FileWriteWatch, paths: [String])? = nil, writeFollowUps: [Double] = [0.05, 0.25, 1, 5],
        refreshInterval: Double = 3600,
        reconcileInterval: Double? = nil, batchLimit: Int = 5000, logger: Logger,
        clock: any DaemonClock = SteadyClock(),
        scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil,
        onEnqueued: @escaping @Sendable () -> Void = {}
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        self.idlePollInterval = max(pollInterval, idlePollInterval)
        self.watchedPollInterval = max(pollInterval, idlePollInterval, watchedPollInterval)
        self.calendarFiles = calendarFiles
        self.writeFollowUps = writeFollowUps.sorted()
        self.clock = clock
        self.calendar = calendar
        self.outbox = outbox
        self.coalesceWindow = coalesceWindow
        self.pollInterval = pollInterval
        self.refreshInterval = refreshInterval
        self.reconcileInterval = reconcileInterval
        self.batchLimit = batchLimit
        self.logger = logger
        self.onEnqueued = onEnqueued
    }

    /// Moves on while the collector turns; frozen while one turn does not end (for the watchdog).
    package var heartbeat: UInt64? { loop.heartbeat }

    package func start() {
        if let calendarFiles {
            do {
                try calendarFiles.watch.watch(calendarFiles.paths) { [weak self] in self?.calendarWritten() }
                watched.store(true, ordering: .releasing)
            } catch {
                logger.warning(
                    "clinic changes are looked for every \(idlePollInterval) s: \(error)",
                    metadata: ["event": "calendar-unwatched"])
            }
        }
        timing.withLock { timing in
            timing = (nil, clock.date(), reconcileInterval.map { clock.date().addingTimeInterval($0) })
        }
        loop.start(name: "collector") { [self] in turn() }
    }

    /// Looks at the change log now (the calendar file was written).
    package func wake() { loop.wake() }

    /// The calendar's files were written: looks now and a few times after.
    private func calendarWritten() {
        lastWrite.withLock { $0 = clock.date() }
        loop.wake()
    }

    /// Stops the turns; changes not yet collected stay in the change log for next time.
    package func stop() {
        loop.stop()
    }

    /// One look at the change log (and the periodic feeds when due); returns the seconds
    /// until the next.
    private func turn() -> Double {
        var (firstSeen, nextRefresh, nextReconcile) = timing.withLock { $0 }
        defer { timing.withLock { $0 = (firstSeen, nextRefresh, nextReconcile) } }
        if let due = nextReconcile, let interval = reconcileInterval, clock.date() >= due {
            nextReconcile = clock.date().addingTimeInterval(
                (try? queueReconciliations(period: interval)) != nil ? interval : 30)
        }
        if let due = nextRefresh, clock.date() >= due {
            if (try? refreshSlots()) != nil {
                nextRefresh = clock.date().addingTimeInterval(refreshInterval)
            } else {
                nextRefresh = clock.date().addingTimeInterval(min(refreshInterval, 30))
            }
        }
        do {
            let pending = try calendar.pendingChanges(limit: batchLimit)
            if pending.isEmpty {
                firstSeen = nil
            } else {
                let seen = firstSeen ?? clock.date()
                firstSeen = seen
                let settled = clock.date().timeIntervalSince(seen)
                if settled >= coalesceWindow || pending.count >= batchLimit {
                    try collect(pending)
                    firstSeen = nil
                    return 0
                }
                return min(pollInterval, coalesceWindow - settled)
            }
        } catch {
            logger.error(
                "cannot move clinic changes to the outbox; will try again",
                metadata: ["event": "collect-failed", "error": "\(error)"])
            return 1
        }
        let now = clock.date()
        var idle = watched.load(ordering: .acquiring) ? watchedPollInterval : idlePollInterval
        if let written = lastWrite.withLock({ $0 }),
            let followUp = writeFollowUps.first(where: { written.addingTimeInterval($0) > now })
        {
            idle = min(idle, written.addingTimeInterval(followUp).timeIntervalSince(now))
        }
        let periodic = [nextRefresh, nextReconcile].compactMap { $0?.timeIntervalSince(now) }.min() ?? idle
        return max(0, min(idle, periodic))
    }

    /// Stores the jobs for `records` and forgets the records.
    func collect(_ records: [ClinicChangeRecord]) throws {
        guard let last = records.last?.id else { return }
        let jobs = Self.jobs(for: records)
        try store(jobs.map { $0.job.item(dedupKey: "clinic-change:\($0.lastChange):\($0.job.orderingKey)") })
        try calendar.forgetChanges(through: last)
        logger.debug(
            "clinic changes queued for Docplanner",
            metadata: ["event": "collected", "changes": "\(records.count)", "jobs": "\(jobs.count)"])
        onEnqueued()
    }

    /// One job per row or calendar, in the order of each one's last change; a deleted
    /// booking or break also cancels or deletes it on Docplanner.
    static func jobs(for records: [ClinicChangeRecord]) -> [(job: OutboundJob, lastChange: Int64)] {
        var order: [String] = []
        var byKey: [String: (job: OutboundJob, lastChange: Int64)] = [:]
        func add(_ job: OutboundJob, _ change: Int64, key: String) {
            if byKey[key] == nil { order.append(key) }
            byKey[key] = (job, change)
        }
        for record in records {
            switch (record.table, record.operation) {
            case (.bookings, "delete"):
                if let id = record.docplannerID {
                    add(
                        OutboundJob(
                            kind: .bookingDeleted, calendar: record.calendar, rowID: record.rowID, docplannerID: id),
                        record.id, key: "booking-deleted:\(record.rowID)")
                }
            case (.bookings, _):
                add(
                    OutboundJob(kind: .booking, calendar: record.calendar, rowID: record.rowID), record.id,
                    key: "booking:\(record.rowID)")
            case (.breaks, "delete"):
                if let id = record.docplannerID {
                    add(
                        OutboundJob(
                            kind: .breakDeleted, calendar: record.calendar, rowID: record.rowID, docplannerID: id),
                        record.id, key: "break-deleted:\(record.rowID)")
                }
            case (.breaks, _):
                add(
                    OutboundJob(kind: .calendarBreak, calendar: record.calendar, rowID: record.rowID), record.id,
                    key: "break:\(record.rowID)")
            case (.workingHours, _), (.daySlots, _):
                add(
                    OutboundJob(kind: .slots, calendar: record.calendar), record.id,
                    key: "slots:\(record.calendar.doctorID):\(record.calendar.addressID)")
            }
        }
        return order.compactMap { byKey[$0] }.sorted { $0.lastChange < $1.lastChange }
    }

    /// Queues a slot feed for every calendar with availability (a feed with nothing new
    /// to send makes no call).
    private func refreshSlots() throws {
        let calendars = try calendar.calendarsWithAvailability()
        let hour = Int(clock.date().timeIntervalSince1970 / 3600)
        try store(
            calendars.map {
                OutboundJob(kind: .slots, calendar: $0).item(
                    dedupKey: "slots-refresh:\(hour):\($0.doctorID):\($0.addressID)")
            })
        if !calendars.isEmpty {
            onEnqueued()
            logger.debug("slot feeds queued", metadata: ["event": "slots-refresh", "calendars": "\(calendars.count)"])
        }
    }

    /// Queues a reconciliation of every known calendar (once per period).
    private func queueReconciliations(period: Double) throws {
        let calendars = try calendar.knownCalendars()
        let slot = Int(clock.date().timeIntervalSince1970 / max(period, 1))
        try store(
            calendars.map {
                OutboundJob(kind: .reconcile, calendar: $0).item(
                    dedupKey: "reconcile:\(slot):\($0.doctorID):\($0.addressID)")
            })
        if !calendars.isEmpty { onEnqueued() }
    }

    /// Enqueues all items and waits until every one is durable.
    private func store(_ items: [OutboxItem]) throws(StoreError) {
        for result in outbox.enqueueAndWait(items) {
            if case .failure(let error) = result { throw error }
        }
    }
}
