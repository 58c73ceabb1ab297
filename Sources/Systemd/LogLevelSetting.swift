import Logging
import Synchronization

/// The process-wide log level the handlers read, so a reload can change it for every
/// logger already created.
package final class LogLevelSetting: Sendable {
    package static let shared = LogLevelSetting()
    private let raw = Atomic<Int>(2)  // info

    private static let levels = Logger.Level.allCases

    package init(_ level: Logger.Level = .info) {
        self.level = level
    }

    package var level: Logger.Level {
        get { Self.levels[raw.load(ordering: .relaxed)] }
        set { raw.store(Self.levels.firstIndex(of: newValue) ?? 2, ordering: .relaxed) }
    }
}
