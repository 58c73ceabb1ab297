import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one event per line to a file descriptor (stderr by
/// default) as `key=value` fields:
/// `ts=2026-11-25T06:50:00.123Z level=info logger=dpbridge msg="callback stored" event=slot-booked`.
/// Values with spaces, quotes or `=` are quoted; newlines are escaped so an event stays one line.
package struct KeyValueLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    /// Reads and writes `setting`, shared by all handlers of the process.
    package var logLevel: Logger.Level {
        get { setting.level }
        set { setting.level = newValue }
    }
    private let setting: LogLevelSetting
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LineSink

    /// A handler for `label` writing to `fileDescriptor`.
    package init(label: String, level: LogLevelSetting = LogLevelSetting(), fileDescriptor: Int32 = 2) {
        self.label = label
        self.setting = level
        self.sink = LineSink.shared(for: fileDescriptor)
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let fields = LogFields.merged(metadata, metadataProvider, event.metadata)
        // Bytes appended to one buffer, written as they are: every event applied logs a line.
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: "ts=".utf8)
        line.append(contentsOf: Self.timestamp().utf8)
        line.append(contentsOf: " level=".utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: " logger=".utf8)
        line.append(contentsOf: label.utf8)
        line.append(contentsOf: " msg=".utf8)
        Self.appendQuoted(event.message.description, to: &line)
        for key in fields.keys.sorted() {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            Self.appendQuoted(LogFields.render(fields[key]!), to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(line)
    }

    /// Quotes a value when it would otherwise break `key=value` parsing: a space, `"`, `=`,
    /// `\` or a line break (also U+0085, U+2028, U+2029, which only force the quotes).
    /// `"`, `\`, CR and LF are escaped, each on its own (a CRLF is two escapes, never a
    /// raw line break in the log). Works on the UTF-8 bytes: every event logs a line, and
    /// walking `Character`s cost ~1% of the inbound workers.
    static func quote(_ text: String) -> String {
        var out: [UInt8] = []
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `quote(text)`'s bytes, appended to `out`.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            if bytes.isEmpty || needsQuotes(bytes) {
                appendEscaped(bytes, to: &out)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }

    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x20, 0x22, 0x3D, 0x5C, 0x0A, 0x0B, 0x0C, 0x0D: return true
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: return true
            case 0xE2
            where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                return true
            default: continue
            }
        }
        return false
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count + 8)
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: Int(now.tv_sec), milliseconds: Int(now.tv_nsec / 1_000_000))
    }

    /// `2027-01-15T08:00:00.007Z` (UTC, milliseconds) for `seconds` since 1970, written digit by
    /// digit: `String(format:)` took half of the time of a log line, on every event applied.
    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let fields: [(value: Int, digits: Int, after: UInt8)] = [
            (Int(parts.tm_year) + 1900, 4, UInt8(ascii: "-")), (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")),
            (Int(parts.tm_mday), 2, UInt8(ascii: "T")), (Int(parts.tm_hour), 2, UInt8(ascii: ":")),
            (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
            (min(max(milliseconds, 0), 999), 3, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            for field in fields {
                var largest = 1
                for _ in 0..<field.digits { largest *= 10 }
                var value = min(max(field.value, 0), largest - 1)
                for position in stride(from: index + field.digits - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += field.digits
                buffer[index] = field.after
                index += 1
            }
            return index
        }
    }
}

/// Serialises whole lines onto one file descriptor so concurrent events never interleave.
final class LineSink: Sendable {
    private let fileDescriptor: Int32
    private let lock = Mutex(())

    private init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    private static let sinks = Mutex([Int32: LineSink]())

    static func shared(for fileDescriptor: Int32) -> LineSink {
        sinks.withLock { sinks in
            if let sink = sinks[fileDescriptor] { return sink }
            let sink = LineSink(fileDescriptor: fileDescriptor)
            sinks[fileDescriptor] = sink
            return sink
        }
    }

    func write(_ line: [UInt8]) {
        lock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // Nowhere to report a failing log sink; drop the line.
                    }
                    offset += written
                }
            }
        }
    }
}
