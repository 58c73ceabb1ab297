import DocplannerAPI
import Foundation
import Logging
import Store
import Sync
import Synchronization
import TestSupport
import Testing

/// PULL mode consumes a notification when it pulls it; one the store refuses until the
/// daemon stops is kept in an owner-only file beside the store, and the log names the file
/// but never carries the patient's data.
@Suite struct NotificationSpillTests {
    /// Keeps every log record, message and metadata, as text.
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

    static let patientFields = [
        "Zofia", "Kowalska-Testowa", "+48601234567", "zofia.kowalska@example.com", "CARD-99887766",
    ]

    /// One pulled batch: a booking with the patient above, at doctor 123, address 111.
    static let batch = #"""
        {"notifications":[{"name":"slot-booked","data":{
          "facility":{"id":"1","name":"Sample hospital"},
          "doctor":{"id":"123","name":"Sample","surname":"Doctor 123"},
          "address":{"id":"111","name":"Example hospital","street":"Some street","post_code":"xx-xxx"},
          "visit_booking":{"id":"7770001","status":"booked","start_at":"2027-05-27T11:00:00+01:00",
            "end_at":"2027-05-27T11:30:00+01:00","duration":30,"booked_by":"user","canceled_by":"",
            "booked_at":"2027-05-14T10:19:02+01:00",
            "patient":{"name":"Zofia","surname":"Kowalska-Testowa","email":"zofia.kowalska@example.com",
              "phone":"+48601234567","birth_date":"1985-01-01","is_returning":false,"insurance_number":"CARD-99887766"}}},
          "created_at":"2027-05-14T15:46:34+01:00"}],"remaining":0}
        """#

    @Test func aNotificationTheStoreRefusesGoesToAPrivateFileAndNotToTheLog() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "POST", "/oauth/v2/token",
                [
                    .json(
                        200, #"{"access_token":"t1","expires_in":3600,"token_type":"bearer","scope":null}"#,
                        contentType: "application/json")
                ]),
            ScriptedRule(
                "GET", "/api/v3/integration/notifications/multiple",
                [
                    .json(200, Self.batch),
                    .json(
                        404, #"{"errors":[],"message":"No notifications found"}"#,
                        contentType: "application/vnd.error+docplanner+json"),
                ]),
        ])
        defer { server.stop() }
        let directory = try TemporaryDirectory(prefix: "dpbridge-spill")
        defer { directory.remove() }
        let spillDirectory = directory.file("state")
        try FileManager.default.createDirectory(atPath: spillDirectory, withIntermediateDirectories: true)
        // A store that refuses every write: closed, as after a failure of its file.
        let store = try Store(path: directory.file("state/dpbridge.sqlite"))
        store.close()

        let handler = RecordingLogHandler()
        let client = DocplannerClient(
            configuration: DocplannerConfiguration(
                apiBaseURL: server.baseURL + "/api/v3/integration", tokenURL: server.baseURL + "/oauth/v2/token",
                clientID: "c", clientSecret: "s", timeZone: TimeZone(identifier: "Europe/Warsaw")!))
        let puller = NotificationPuller(
            docplanner: client, inbox: store.inbox, minIdle: 0.05, maxIdle: 0.2,
            logger: Logger(label: "test") { _ in handler }, spillDirectory: spillDirectory)
        puller.start()
        let refused = eventually {
            handler.records.contains { $0.message.contains("cannot store a pulled notification") }
        }
        puller.stop()
        #expect(refused, "the closed store refused the notification: \(handler.records.map(\.message))")
        #expect(puller.count == 0)

        // The notification is kept whole, in one file only its owner can read.
        let files = try FileManager.default.contentsOfDirectory(atPath: spillDirectory).filter {
            $0.hasPrefix("unstored-")
        }
        #expect(files.count == 1, "\(files)")
        let path = spillDirectory + "/" + (files.first ?? "?")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "mode \(String(mode ?? 0, radix: 8))")
        let kept =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(kept?["name"] as? String == "slot-booked")
        let spilled = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        for field in Self.patientFields { #expect(spilled.contains(field), "\(field) kept in the file") }

        // The log names the file and the booking, at critical, and holds no patient field.
        let critical = handler.records.filter { $0.level == .critical }
        #expect(critical.count == 1, "\(critical.map(\.message))")
        #expect(critical.first?.metadata["file"] == path)
        #expect(critical.first?.metadata["booking_id"] == "7770001")
        for record in handler.records {
            let text = ([record.message] + record.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            for field in Self.patientFields {
                #expect(!text.contains(field), "\(field) logged: \(text)")
            }
        }
    }
}
