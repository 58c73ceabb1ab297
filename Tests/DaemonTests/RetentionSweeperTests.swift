import Foundation
import Logging
import Store
import Synchronization
import TestSupport
import Testing

@testable import Daemon

/// The daemon's retention job: one log line per run with the counts (never a payload),
/// a warning when dead letters past the retention are kept; and its settings.
@Suite struct RetentionSweeperTests {
    /// Keeps every log record, for checking what was logged.
    final class RecordingLogHandler: LogHandler, Sendable {
        struct Record: Sendable {
            let level: Logger.Level
            let message: String
            let metadata: [String: String]
        }

        private let storage = Mutex<[Record]>([])
        var records: [Record] { storage.withLock { $0 } }

        var logLevel: Logger.Level {
            get { .trace }
            set {}
        }

        var metadata: Logger.Metadata {
            get { [:] }
            set {}
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { nil }
            set {}
        }

        func log(event: LogEvent) {
            let record = Record(
                level: event.level, message: "\(event.message)",
                metadata: (event.metadata ?? [:]).mapValues { "\($0)" })
            storage.withLock { $0.append(record) }
        }
    }

    @Test func eachRunIsOneLineWithCountsAndDeadLettersPastTheRetentionMakeItAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let store = try Store(path: directory.file("store.sqlite"), clock: clock)
        defer { store.close() }
        let payload = Array(#"{"patient":{"name":"Abraham","phone":"+48123123123"}}"#.utf8)
        for key in ["a", "b"] {
            _ = try store.inbox.enqueueAndWait(InboxItem(body: payload, dedupKey: key, eventName: "slot-booked"))
        }
        let jobs = try store.inbox.claim(limit: 2, workerID: "w")
        try store.inbox.complete(jobs[0])
        try store.inbox.failPermanently(jobs[1], reason: "no booking id")
        let handler = RecordingLogHandler()
        let sweeper = RetentionSweeper(
            store: store, policy: RetentionPolicy(days: 30, quarantineDays: 7),
            logger: Logger(label: "test") { _ in handler })

        #expect(sweeper.sweep()?.deleted == 0)
        clock.advance(by: 31 * 86_400)
        #expect(sweeper.sweep()?.inboxDone == 1)

        let records = handler.records
        #expect(records.count == 2)
        #expect(records.map(\.level) == [.info, .warning])
        let last = try #require(records.last)
        #expect(last.metadata["event"] == "retention")
        #expect(last.metadata["inbox_done"] == "1" && last.metadata["outbox_done"] == "0")
        #expect(last.metadata["decisions"] == "0" && last.metadata["quarantined"] == "0")
        #expect(last.metadata["dead_letters_kept"] == "1")
        #expect(last.message.contains("dpbridge deadletters"))
        let logged = records.map { $0.message + $0.metadata.description }.joined()
        #expect(!logged.contains("Abraham") && !logged.contains("48123123123"), "never a payload")
    }

    @Test func settingsHaveDefaultsRangesAndMayDifferPerTenant() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let defaults = try await ConfigurationLoader.load(
            path: try directory.write("a.yaml", minimalYAML), environment: [:]
        ).configuration
        #expect(defaults.retention == .init(days: 30, quarantineDays: 7))

        let tenantYAML =
            minimalYAML + """

                retention: {days: 60}
                tenants:
                  clinic-b:
                    callback: {secret: tenant-b-callback-secret-1}
                    docplanner: {client_id: b, client_secret: b-secret}
                    store: {path: /tmp/dpbridge-b.sqlite}
                    partner: {embedded: {path: /tmp/dpbridge-b-partner.sqlite}}
                    retention: {days: 14, quarantine_days: 2}
                """
        let loaded = try await ConfigurationLoader.load(
            path: try directory.write("b.yaml", tenantYAML), environment: ["DPBRIDGE_RETENTION_QUARANTINE_DAYS": "3"]
        ).configuration
        #expect(loaded.retention == .init(days: 60, quarantineDays: 3))
        #expect(loaded.tenant(named: "clinic-b")?.retention == .init(days: 14, quarantineDays: 2))

        let zero = try directory.write("c.yaml", minimalYAML + "\nretention: {days: 0}\n")
        do {
            _ = try await ConfigurationLoader.load(path: zero, environment: [:])
            Issue.record("retention.days 0 must be refused")
        } catch {
            #expect(error.problems.map(\.subject) == ["retention.days"])
        }
    }
}
