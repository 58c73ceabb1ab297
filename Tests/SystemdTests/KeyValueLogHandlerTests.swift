import Foundation
import Logging
import TestSupport
import Testing

@testable import Systemd

@Suite struct KeyValueLogHandlerTests {
    @Test func theTimestampIsUTCWithMillisecondsLikeISO8601() {
        #expect(KeyValueLogHandler.timestamp(seconds: 1_800_000_000, milliseconds: 7) == "2027-01-15T08:00:00.007Z")
        #expect(KeyValueLogHandler.timestamp(seconds: 0, milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(KeyValueLogHandler.timestamp(seconds: 951_868_799, milliseconds: 999) == "2000-02-29T23:59:59.999Z")
        // The same text as Foundation's formatter gives for a time of today.
        let now = Date()
        let seconds = Int(now.timeIntervalSince1970)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(
            KeyValueLogHandler.timestamp(seconds: seconds, milliseconds: 250)
                == formatter.string(from: Date(timeIntervalSince1970: Double(seconds) + 0.25)))
    }

    @Test func writesOneLineWithSortedQuotedFields() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("log")
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(fd >= 0)
        var handler = KeyValueLogHandler(label: "test", level: LogLevelSetting(.debug), fileDescriptor: fd)
        handler[metadataKey: "tenant"] = "clinic a"
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .debug
        logger.info("callback stored", metadata: ["event": "slot-booked", "booking_id": "42", "note": "two\nlines"])
        logger.trace("not shown")
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let line = String(lines[0])
        #expect(line.hasPrefix("ts="))
        #expect(
            line.contains(
                " level=info logger=test msg=\"callback stored\" booking_id=42 event=slot-booked note=\"two\\nlines\" tenant=\"clinic a\""
            ))
    }

    @Test func levelChangesReachExistingLoggers() {
        let setting = LogLevelSetting(.warning)
        let logger = Logger(
            label: "t", factory: { _ in KeyValueLogHandler(label: "t", level: setting, fileDescriptor: -1) })
        #expect(logger.logLevel == .warning)
        setting.level = .debug
        #expect(logger.logLevel == .debug)
    }

    @Test func quotesOnlyWhatNeedsQuoting() {
        #expect(KeyValueLogHandler.quote("plain") == "plain")
        #expect(KeyValueLogHandler.quote("") == "\"\"")
        #expect(KeyValueLogHandler.quote("a=b") == "\"a=b\"")
        #expect(KeyValueLogHandler.quote("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(KeyValueLogHandler.quote("a\\b") == #""a\\b""#)
        #expect(KeyValueLogHandler.quote("zażółć") == "zażółć", "other UTF-8 stays as it is")
        #expect(KeyValueLogHandler.quote("line\nbreak") == #""line\nbreak""#)
        // A CRLF is one Character in Swift: each byte is still escaped, never written raw.
        #expect(KeyValueLogHandler.quote("a\r\nb") == #""a\r\nb""#)
        #expect(KeyValueLogHandler.quote("a\u{2028}b") == "\"a\u{2028}b\"", "other line breaks are quoted")
        #expect(KeyValueLogHandler.quote("a\u{85}b") == "\"a\u{85}b\"")
        #expect(KeyValueLogHandler.quote("tab\tok") == "tab\tok")
    }
}
