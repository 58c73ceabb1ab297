import DocplannerAPI
import Foundation
import Logging
import Partner
import SQLite
import Scheduling
import Store
import Sync
import Synchronization
import TestSupport
import Testing

/// The callback examples of the OpenAPI document (the same fixtures DocplannerAPITests use).
enum Examples {
    nonisolated(unsafe) static let all: [String: [String: Any]] = {  // read-only after init
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../DocplannerAPITests/Fixtures/callback-examples.json").standardized
        let object = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return object.compactMapValues { $0 as? [String: Any] }.filter { $0.value["name"] != nil }
    }()

    /// The example `key`, with `edit` applied to its JSON object, as body bytes.
    static func body(_ key: String, _ edit: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var object = all[key]!
        edit(&object)
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }
}

@Suite final class InboundSyncTests {
    let directory: TemporaryDirectory
    let store: Store
    let partner: EmbeddedPartner
    let processor: InboundProcessor

    init() throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-sync")
        store = try Store(path: directory.file("store.sqlite"))
        partner = try EmbeddedPartner(path: directory.file("partner.sqlite"))
        processor = InboundProcessor(queue: store.inbox, partner: partner, logger: Logger(label: "test"))
    }

    deinit { directory.remove() }

    /// Stores `body` as the callback endpoint does (same identity and ordering keys).
    @discardableResult
    func enqueue(_ body: [UInt8]) throws -> EnqueueOutcome {
        let notification = try DocplannerNotification.decode(Data(body))
        return try store.inbox.enqueueAndWait(
            InboxItem(
                body: body, dedupKey: notification.identityKey, eventName: notification.name,
                orderingKey: notification.orderingKey))
    }

    func drain() throws -> [InboundProcessor.Outcome] {
        var outcomes: [InboundProcessor.Outcome] = []
        while let job = try store.inbox.claim(limit: 1, workerID: "test").first {
            outcomes.append(try processor.processReturningOutcome(job))
        }
        return outcomes
    }

    @Test func everyExampleEventTranslates() throws {
        #expect(Examples.all.count == 22)
        for (key, _) in Examples.all {
            let notification = try DocplannerNotification.decode(Data(Examples.body(key)))
            guard case .success(let changes) = NotificationTranslator.changes(for: notification) else {
                Issue.record("\(key) does not translate")
                continue
            }
            #expect(changes.isEmpty == notification.isBlocking, "\(key)")
        }
    }

    @Test func bookedEventLandsInThePartnerCalendarOnce() throws {
        try enqueue(Examples.body("SlotBookedNotification"))
        #expect(try drain() == [.applied])
        let booking = try #require(try partner.booking(docplannerID: bookingID("SlotBookedNotification")))
        #expect(booking.status == .booked)
        #expect(booking.calendar == CalendarRef(facilityID: "1", doctorID: "123", addressID: "111"))
        #expect(booking.patient?.name != nil)
        // A re-send is a duplicate in the inbox; the same event pulled with another body
        // spelling still has the same identity and is not applied twice.
        #expect(try enqueue(Examples.body("SlotBookedNotification")).isDuplicate)
        #expect(try drain().isEmpty)
    }

    @Test func cancelBeforeBookedEndsCanceled() throws {
        let id = bookingID("SlotBookedNotification")
        try enqueue(Examples.body("BookingCanceledNotification") { setBookingID(&$0, id) })
        try enqueue(Examples.body("SlotBookedNotification"))
        #expect(try drain() == [.applied, .applied])
        #expect(try partner.booking(docplannerID: id)?.status == .canceled)
    }

    @Test func everyBookingEventApplies() throws {
        let id = bookingID("SlotBookedNotification")
        for key in [
            "SlotBookedNotification", "BookingConfirmedNotification", "PresenceMarkedNotification",
            "BookingPaymentStatusChangedNotification",
        ] {
            try enqueue(Examples.body(key) { setBookingID(&$0, id) })
        }
        #expect(try drain() == [.applied, .applied, .applied, .applied])
        let booking = try #require(try partner.booking(docplannerID: id))
        #expect(booking.confirmed)
        #expect(booking.presence != nil)
        #expect(booking.paymentStatus != nil)
    }

    @Test func breaksAndAddressEventsApply() throws {
        for key in [
            "BreakCreatedNotification", "BreakMovedNotification", "AddressServiceCreatedNotification",
            "AddressServiceChangedNotification", "AddressAssignedNotification",
            "AddressCommercialTypeChangedNotification", "BookingMovedNotification",
        ] {
            try enqueue(Examples.body(key))
        }
        #expect(try drain().allSatisfy { $0 == .applied })
        let database = try Database(path: directory.file("partner.sqlite"))
        #expect(try database.scalar("SELECT count(*) FROM breaks WHERE deleted = 0") == 1)
        #expect(try database.scalar("SELECT count(*) FROM address_services") >= 1)
        #expect(try database.scalar("SELECT count(*) FROM addresses WHERE assigned = 1") == 1)
        #expect(
            try database.scalar("SELECT count(*) FROM bookings WHERE status = 'moved' AND moved_to IS NOT NULL") == 1)
        try enqueue(Examples.body("BreakRemovedNotification"))
        _ = try drain()
        #expect(try database.scalar("SELECT count(*) FROM breaks WHERE deleted = 0") == 0)
    }

    @Test func eventWithoutABookingIdBecomesAnExplainedDeadLetter() throws {
        try enqueue(
            Examples.body("SlotBookedNotification") { object in
                var data = object["data"] as! [String: Any]
                data["visit_booking"] = ["status": "booked"]
                object["data"] = data
            })
        guard case .dead(let reason) = try drain().first else {
            Issue.record("not dead")
            return
        }
        #expect(reason.contains("slot-booked without a booking id"))
        #expect(try store.inbox.deadLetters().count == 1)
    }

    @Test func workersApplyEveryEventInOrderPerBooking() throws {
        let workers = QueueWorkers(
            role: "inbound",
            queue: store.inbox, processor: processor, count: 3, logger: Logger(label: "test"), idlePoll: 0.05)
        workers.start()
        defer { workers.stop() }
        // 60 bookings, each booked, confirmed, then canceled, interleaved.
        for step in ["SlotBookedNotification", "BookingConfirmedNotification", "BookingCanceledNotification"] {
            for index in 0..<60 {
                let outcome = try enqueue(
                    Examples.body(step) { object in
                        setBookingID(&object, "w\(index)")
                        object["created_at"] =
                            "2026-01-0\(["SlotBookedNotification": 1, "BookingConfirmedNotification": 2][step] ?? 3)T10:00:00+01:00"
                    })
                #expect(!outcome.isDuplicate)
                workers.wake()
            }
        }
        var waited = 0
        while workers.processedCount < 180 && waited < 400 {
            usleep(25_000)
            waited += 1
        }
        #expect(workers.processedCount == 180)
        for index in 0..<60 {
            let booking = try #require(try partner.booking(docplannerID: "w\(index)"))
            #expect(booking.status == .canceled && booking.confirmed)
        }
    }

    @Test func slotBookingIsApprovedWhenFreeAndDeniedWhenTaken() throws {
        let decider = BookingDecider(
            partner: partner, codes: .init(slotTaken: "taken", notBookable: "not_bookable", unavailable: "later"))
        let question = try DocplannerNotification.decode(Data(Examples.body("SlotBookingNotification")))
        #expect(decider.decide(question) == .approve)
        // The clinic takes that time: the same question is now denied.
        let start = try #require(question.event.slotBookingStart)
        _ = try partner.apply(
            [
                .booked(
                    PartnerBooking(
                        docplannerID: "clinic-1",
                        calendar: CalendarRef(facilityID: "1", doctorID: "123", addressID: "111"),
                        start: start, end: start.addingTimeInterval(600)))
            ],
            eventKey: "x", eventTime: Date())
        guard case .deny(let code, _) = decider.decide(question) else {
            Issue.record("approved")
            return
        }
        #expect(code == "taken")
        // Moving the booking that holds the time onto itself is allowed.
        let moving = try DocplannerNotification.decode(
            Data(
                Examples.body("BookingMovingNotification") { object in
                    var data = object["data"] as! [String: Any]
                    var canceling = data["canceling_booking"] as! [String: Any]
                    canceling["id"] = "clinic-1"
                    data["canceling_booking"] = canceling
                    var creating = data["creating_booking"] as! [String: Any]
                    creating["start_at"] = question.event.slotBookingStartText
                    creating["end_at"] = nil
                    creating["duration"] = 10
                    data["creating_booking"] = creating
                    data["doctor"] = ["id": "123"]
                    data["address"] = ["id": "111"]
                    object["data"] = data
                }))
        #expect(decider.decide(moving) == .approve)
    }

    @Test func aBatchAppliesInOneGoAndOneRefusedEventLeavesTheOthersApplied() throws {
        // The calendar refuses one booking (a clinic-side rule); the others of the batch commit.
        let database = try Database(path: directory.file("partner.sqlite"))
        try database.execute(
            """
            CREATE TRIGGER refuse_one BEFORE INSERT ON bookings WHEN NEW.docplanner_booking_id = 'b-refused'
            BEGIN SELECT RAISE(ABORT, 'refused by the clinic'); END
            """)
        for id in ["b-1", "b-refused", "b-2"] {
            try enqueue(Examples.body("SlotBookedNotification") { setBookingID(&$0, id) })
        }
        try enqueue(
            Examples.body("SlotBookedNotification") { object in
                var data = object["data"] as! [String: Any]
                data["visit_booking"] = ["status": "booked"]
                object["data"] = data
            })
        let jobs = try store.inbox.claim(limit: 64, workerID: "test")
        #expect(jobs.count == 4)
        let outcomes = try processor.processReturningOutcomes(jobs)
        #expect(outcomes[0] == .applied && outcomes[2] == .applied)
        guard case .retrying = outcomes[1], case .dead = outcomes[3] else {
            Issue.record("outcomes: \(outcomes)")
            return
        }
        #expect(try partner.booking(docplannerID: "b-1") != nil)
        #expect(try partner.booking(docplannerID: "b-2") != nil)
        #expect(try partner.booking(docplannerID: "b-refused") == nil)
        #expect(try !partner.hasApplied(eventKey: jobs[1].dedupKey))
        let counts = try store.counts().inbox
        #expect(counts.done == 2 && counts.retrying == 1 && counts.dead == 1)
        // Applying the same events again changes nothing (already applied).
        #expect(
            partner.apply(
                batch: jobs.prefix(1).map {
                    PartnerEvent(eventKey: $0.dedupKey, eventTime: Date(), changes: [])
                }
            ).map { try? $0.get() } == [false])
    }

    @Test func aRetryComesDueAndABlockedJobFollowsWithoutAWake() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-workers")
        defer { directory.remove() }
        let store = try Store(
            path: directory.file("store.sqlite"),
            retryPolicy: RetryPolicy(maxAttempts: 5, initialDelay: 0.2, maxDelay: 0.4))
        defer { store.close() }
        let processor = FlakyProcessor(queue: store.inbox)
        // Nothing looks on its own for a minute: only due times and finished jobs bring a run.
        let workers = QueueWorkers(
            role: "inbound", queue: store.inbox, processor: processor, count: 2, logger: Logger(label: "test"),
            batchSize: 8, idlePoll: 60, scheduler: WorkScheduler(threads: 2, name: "test-workers"))
        workers.start()
        defer { workers.stop() }
        _ = try store.inbox.enqueueAndWait(InboxItem(body: [], dedupKey: "flaky", eventName: "x", orderingKey: "k"))
        _ = try store.inbox.enqueueAndWait(InboxItem(body: [], dedupKey: "behind", eventName: "x", orderingKey: "k"))
        workers.wake()
        var waited = 0
        while try store.counts().inbox.done < 2 && waited < 200 {
            usleep(25_000)
            waited += 1
        }
        #expect(try store.counts().inbox.done == 2)
        #expect(processor.seen.withLock { $0 } == ["flaky", "flaky", "behind"])
    }

    @Test func eventsGatherIntoOneRunAndAFullBatchAsksForTheNextAtOnce() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-workers")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        let processor = BatchRecorder(queue: store.inbox)
        let workers = QueueWorkers(
            role: "inbound", queue: store.inbox, processor: processor, count: 1, logger: Logger(label: "test"),
            batchSize: 4, gather: 0.3, idlePoll: 60, scheduler: WorkScheduler(threads: 2, name: "test-workers"))
        defer { workers.stop() }
        for index in 0..<10 {
            _ = try store.inbox.enqueueAndWait(
                InboxItem(body: [], dedupKey: "e\(index)", eventName: "x", orderingKey: "k\(index)"))
        }
        // Ten wakes, as ten enqueues bring: one run, `gather` after the first, then the
        // full batches ask for the next at once and the last, partial one ends the turn.
        for _ in 0..<10 { workers.wake() }
        var waited = 0
        while try store.counts().inbox.done < 10 && waited < 200 {
            usleep(25_000)
            waited += 1
        }
        #expect(processor.batches.withLock { $0 } == [4, 4, 2])
        _ = try store.inbox.enqueueAndWait(InboxItem(body: [], dedupKey: "late", eventName: "x", orderingKey: "k"))
        workers.wake()
        waited = 0
        while try store.counts().inbox.done < 11 && waited < 200 {
            usleep(25_000)
            waited += 1
        }
        #expect(processor.batches.withLock { $0 } == [4, 4, 2, 1])
    }

    func bookingID(_ key: String) -> String {
        ((Examples.all[key]!["data"] as! [String: Any])["visit_booking"] as! [String: Any])["id"].map { "\($0)" }!
    }
}

/// Sets `data.visit_booking.id`.
func setBookingID(_ object: inout [String: Any], _ id: String) {
    var data = object["data"] as! [String: Any]
    var booking = data["visit_booking"] as! [String: Any]
    booking["id"] = id
    data["visit_booking"] = booking
    object["data"] = data
}

extension CallbackEvent {
    var slotBookingStart: Date? {
        if case .slotBooking(let data) = self { return data.visitBookingRequest?.startAt?.date }
        return nil
    }
    var slotBookingStartText: String? {
        if case .slotBooking(let data) = self { return data.visitBookingRequest?.startAt?.text }
        return nil
    }
}

/// Fails each job's first attempt (a retry), then completes it.
/// Completes every job and records the size of each batch it was handed.
final class BatchRecorder: JobProcessor {
    let queue: JobQueue
    let batches = Mutex<[Int]>([])

    init(queue: JobQueue) { self.queue = queue }

    func process(_ job: Job) throws(StoreError) { try process(batch: [job]) }

    func process(batch jobs: [Job]) throws(StoreError) {
        batches.withLock { $0.append(jobs.count) }
        try queue.finish(jobs.map { ($0, .complete) }, durability: .deferredSync)
    }
}

final class FlakyProcessor: JobProcessor {
    let queue: JobQueue
    let seen = Mutex<[String]>([])

    init(queue: JobQueue) { self.queue = queue }

    func process(_ job: Job) throws(StoreError) {
        seen.withLock { $0.append(job.dedupKey) }
        if job.dedupKey == "flaky" && job.attempts == 0 {
            try queue.retryLater(job, error: "not yet")
        } else {
            try queue.complete(job)
        }
    }
}
