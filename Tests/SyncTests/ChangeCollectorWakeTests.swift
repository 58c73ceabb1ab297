import Foundation
import Logging
import Partner
import SQLite
import Scheduling
import Store
import TestSupport
import Testing

@testable import Sync

/// The collector learns of the clinic's writes from the calendar's files, not from
/// looking every second: with its safety poll an hour away, a change written by another
/// connection (the clinic software) is in the outbox at once.
@Suite struct ChangeCollectorWakeTests {
    @Test func aClinicWriteWakesTheCollector() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-collector-wake")
        defer { directory.remove() }
        let calendarPath = directory.file("partner.sqlite")
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        let partner = try EmbeddedPartner(path: calendarPath)
        let files = FileWriteWatch()
        files.start()
        defer { files.stop() }
        let collector = ChangeCollector(
            calendar: partner, outbox: store.outbox, coalesceWindow: 0, idlePollInterval: 3600,
            watchedPollInterval: 3600, calendarFiles: (files, [calendarPath, calendarPath + "-wal"]),
            writeFollowUps: [0.05],
            logger: Logger(label: "test"))
        let clinic = try Database(path: calendarPath)
        func addHours(weekday: Int) throws {
            try clinic.execute(
                """
                INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time,
                    address_service_id, duration) VALUES ('1', '123', '111', \(weekday), '08:00', '12:00', '101', 30)
                """)
        }
        // Collected by the first turn at start; the turns after it (and the one 50 ms after
        // the collector's own write, which forgets the change) are over within the pause,
        // and the next one is an hour away.
        try addHours(weekday: 1)
        collector.start()
        defer { collector.stop() }
        #expect(try eventually(attempts: 200, every: 0.05) { try partner.pendingChanges(limit: 10).isEmpty })
        usleep(300_000)
        let before = try store.outbox.count(in: [.pending])

        try addHours(weekday: 2)
        #expect(try eventually(attempts: 200, every: 0.05) { try partner.pendingChanges(limit: 10).isEmpty })
        #expect(try store.outbox.count(in: [.pending]) >= before, "collected into the outbox")
    }
}
