/// A part of the daemon that works in the background (queue workers, periodic loops, the
/// work pool itself): started once, stopped once, and watched. Each pipeline keeps its
/// parts in a `PartList`.
package protocol BackgroundPart: AnyObject, Sendable {
    /// Starts the part's work; returns at once.
    func start()
    /// Ends the part's work and returns once nothing of it runs any more.
    func stop()
    /// A number that grows while the part keeps turning and stops when it is stuck; nil
    /// leaves the part out of the systemd watchdog (the conforming type says why).
    var heartbeat: UInt64? { get }
}

/// Background parts in the order they start: stopped in the reverse order, so a part
/// stops before the parts it feeds or relies on (the puller before the inbound workers,
/// the collector before the outbound workers, everything before the pool); their
/// heartbeats are what the watchdog checks.
package struct PartList: Sendable {
    package let parts: [any BackgroundPart]

    package init(_ parts: [(any BackgroundPart)?]) {
        self.parts = parts.compactMap { $0 }
    }

    /// Starts every part, in order.
    package func start() {
        for part in parts { part.start() }
    }

    /// Stops every part, last first.
    package func stop() {
        for part in parts.reversed() { part.stop() }
    }

    /// One heartbeat per watched part.
    package var heartbeats: [UInt64] { parts.compactMap(\.heartbeat) }
}

extension WorkScheduler: BackgroundPart {
    /// The pool's turns: they stop only when every thread is stuck. Nil for a pool made
    /// with `watched: false`.
    package var heartbeat: UInt64? { watched ? turnCount : nil }
}
