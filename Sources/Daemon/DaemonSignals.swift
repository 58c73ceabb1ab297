import Glibc

/// Receives the daemon's control signals synchronously (`sigwait`) on the thread that
/// calls `next()`. Create it before starting other threads: it blocks the signals for
/// the calling thread, and threads created afterwards inherit the mask, so no signal
/// interrupts a worker or the event loop.
package struct DaemonSignals: Sendable {
    enum Signal: Equatable {
        case terminate(name: String)
        case reload
    }

    private var set = sigset_t()

    package init() {
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        // A client that disconnects mid-write must not kill the process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Blocks until SIGTERM, SIGINT or SIGHUP arrives.
    func next() -> Signal {
        var received: Int32 = 0
        var set = self.set
        while true {
            guard sigwait(&set, &received) == 0 else { continue }
            switch received {
            case SIGHUP: return .reload
            case SIGINT: return .terminate(name: "SIGINT")
            default: return .terminate(name: "SIGTERM")
            }
        }
    }
}
