import Logging
import Systemd

/// Chooses the log handler once per process: the journal when stderr is the journal
/// (`log.format: auto` under systemd) or when asked for, `key=value` lines on stderr otherwise.
public enum LoggingSetup {
    public static func bootstrap(format: String, level: String) {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        let useJournal = format == "journald" || (format == "auto" && JournalLogHandler.isStandardErrorJournal)
        LoggingSystem.bootstrap { label in
            if useJournal {
                var handler = JournalLogHandler(identifier: "dpbridge", level: logLevel)
                handler.metadata = [:]
                return handler
            }
            return KeyValueLogHandler(label: label, level: logLevel)
        }
    }
}
