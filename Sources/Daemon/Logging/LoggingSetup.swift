import Logging
import Systemd

/// Chooses the log handler once per process: the journal when stderr is the journal
/// (`log.format: auto` under systemd) or when asked for, `key=value` lines on stderr otherwise.
package enum LoggingSetup {
    package static func bootstrap(format: String, level: String) {
        setLevel(level)
        let useJournal = format == "journald" || (format == "auto" && JournalLogHandler.isStandardErrorJournal)
        LoggingSystem.bootstrap { label in
            if useJournal {
                return JournalLogHandler(identifier: "dpbridge", level: LogLevelSetting.shared)
            }
            return KeyValueLogHandler(label: label, level: LogLevelSetting.shared)
        }
    }

    /// Changes the level of every logger at once (SIGHUP reload).
    package static func setLevel(_ level: String) {
        LogLevelSetting.shared.level = Logger.Level(rawValue: level) ?? .info
    }
}
