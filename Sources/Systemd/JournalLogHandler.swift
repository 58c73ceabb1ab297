internal import CSystemd
import Glibc
import Logging

/// A swift-log handler that writes structured entries to the systemd journal with
/// `sd_journal_sendv(3)`: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`,
/// `CODE_LINE`, `CODE_FUNC`, and each metadata entry as a `DPBRIDGE_<KEY>` field, so that
/// `journalctl -u dpbridge DPBRIDGE_BOOKING_ID=…` finds every event about one booking.
package struct JournalLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    /// Reads and writes `setting`, shared by all handlers of the process.
    package var logLevel: Logger.Level {
        get { setting.level }
        set { setting.level = newValue }
    }
    private let setting: LogLevelSetting
    package var metadataProvider: Logger.MetadataProvider?
    private let identifier: String

    package init(identifier: String = "dpbridge", level: LogLevelSetting = LogLevelSetting()) {
        self.identifier = identifier
        self.setting = level
    }

    /// True when standard error is connected to the journal (`JOURNAL_STREAM` names the
    /// device and inode of stderr), which is how systemd starts services by default.
    package static var isStandardErrorJournal: Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let fields = LogFields.merged(metadata, metadataProvider, event.metadata)
        let entries = Self.fields(
            message: event.message.description, level: event.level, identifier: identifier,
            file: event.file, line: event.line, function: event.function, metadata: fields)
        Self.send(entries)
    }

    /// The journal fields of one event, `NAME=value` each.
    static func fields(
        message: String, level: Logger.Level, identifier: String, file: String, line: UInt,
        function: String, metadata: Logger.Metadata
    ) -> [String] {
        var entries = [
            "MESSAGE=\(message)",
            "PRIORITY=\(priority(level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for key in metadata.keys.sorted() {
            entries.append("\(fieldName(key))=\(LogFields.render(metadata[key]!))")
        }
        return entries
    }

    /// syslog priority of a swift-log level.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `booking_id` → `DPBRIDGE_BOOKING_ID`; journal field names allow only A–Z, 0–9 and `_`.
    static func fieldName(_ key: String) -> String {
        let mapped = key.uppercased().unicodeScalars.map { scalar -> String in
            (scalar.value >= 65 && scalar.value <= 90) || (scalar.value >= 48 && scalar.value <= 57)
                ? String(scalar) : "_"
        }.joined()
        return "DPBRIDGE_" + mapped
    }

    private static func send(_ entries: [String]) {
        // Copy each field into memory we own for the duration of the call.
        var vectors: [iovec] = entries.map { entry in
            let bytes = Array(entry.utf8)
            let storage = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            bytes.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            return iovec(iov_base: storage, iov_len: bytes.count)
        }
        defer { for vector in vectors { vector.iov_base.deallocate() } }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
