import Logging
import Synchronization

/// The process-wide log level the handlers read, so a reload can change it for every
/// logger already created.
public final class LogLevelSetting: Sendable {
    public static let shared = LogLevelSetting()
    private let raw = Atomic<Int>(2)  // info

    private static let levels = Logger.Level.allCases

    public init(_ level: Logger.Level = .info) {
        self.level = level
    }

    public var level: Logger.Level {
        get { Self.levels[raw.load(ordering: .relaxed)] }
        set { raw.store(Self.levels.firstIndex(of: newValue) ?? 2, ordering: .relaxed) }
    }
}
