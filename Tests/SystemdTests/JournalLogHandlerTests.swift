import Logging
import Testing

@testable import Systemd

@Suite struct JournalLogHandlerTests {
    @Test func fieldsCarryMessagePriorityCodeLocationAndMetadata() {
        let fields = JournalLogHandler.fields(
            message: "callback stored", level: .warning, identifier: "dpbridge", file: "Sync/Inbox.swift",
            line: 42, function: "apply(_:)", metadata: ["booking_id": "123", "event": "slot-booked", "doctor-id": "7"])
        #expect(
            fields == [
                "MESSAGE=callback stored", "PRIORITY=4", "SYSLOG_IDENTIFIER=dpbridge", "CODE_FILE=Sync/Inbox.swift",
                "CODE_LINE=42", "CODE_FUNC=apply(_:)", "DPBRIDGE_BOOKING_ID=123", "DPBRIDGE_DOCTOR_ID=7",
                "DPBRIDGE_EVENT=slot-booked",
            ])
    }

    @Test func prioritiesFollowSyslog() {
        #expect(JournalLogHandler.priority(.critical) == 2)
        #expect(JournalLogHandler.priority(.error) == 3)
        #expect(JournalLogHandler.priority(.notice) == 5)
        #expect(JournalLogHandler.priority(.info) == 6)
        #expect(JournalLogHandler.priority(.debug) == 7)
    }

    @Test func fieldNamesAreJournalSafe() {
        #expect(JournalLogHandler.fieldName("booking_id") == "DPBRIDGE_BOOKING_ID")
        #expect(JournalLogHandler.fieldName("x.y-z") == "DPBRIDGE_X_Y_Z")
        #expect(JournalLogHandler.fieldName("łódź") == "DPBRIDGE___D_")
    }
}
