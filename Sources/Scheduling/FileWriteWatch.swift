import CLinux
import Glibc
import Synchronization

/// Tells parts of the daemon when a file they read was written, by this process or
/// another (the clinic software writing its calendar), so that they look at it then
/// instead of every second: one inotify instance and one thread for every file of every
/// tenant. It watches each file's directory, not the file, so a file deleted and made
/// again (SQLite's `-wal`) stays watched; events for other names in the directory are
/// dropped on its thread. When the kernel's queue overflowed (events lost), every
/// handler runs.
///
/// A handler runs on the watch's thread and must return at once (wake a loop). It runs
/// once per batch of writes read together, not once per write, and batches are at least
/// `settleMilliseconds` (20) apart, so a busy file wakes its reader at most 50 times a
/// second. A write is seen when it is
/// made, which for a database is before its transaction is committed and visible: a
/// reader woken by it looks again a little later (`ChangeCollector`). Closing a file is
/// not a write (`IN_CLOSE_WRITE` is not watched): the daemon closes idle connections, and
/// each close would wake the reader that then opens the file again.
package final class FileWriteWatch: BackgroundPart, @unchecked Sendable {
    // @unchecked: `inotify`, `stopEvent` and `initError` are set in init and never change;
    // everything else is in `state`, behind its mutex, or atomic.
    private let inotify: Int32
    private let stopEvent: Int32
    /// Why `inotify` or `stopEvent` could not be made (0: both were).
    private let initError: Int32
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    /// Notified by the thread when it ends.
    private let endedSignal = IdleSignal()

    private struct State {
        /// Per watched directory: the handlers (by number) of each file name in it.
        var byDirectory: [Int32: [String: [Int]]] = [:]
        var handlers: [@Sendable () -> Void] = []
        var started = false
    }

    /// Why watching failed, for the log: the kernel's limit to raise, or the error.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        case unavailable(errno: Int32)
        case tooManyWatches
        case directory(String, errno: Int32)

        package var description: String {
            switch self {
            case .unavailable(let code): "inotify is unavailable: \(String(cString: strerror(code)))"
            case .tooManyWatches: "the kernel's limit of inotify watches is reached (fs.inotify.max_user_watches)"
            case .directory(let path, let code): "cannot watch \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Milliseconds the watch lets writes gather after it called handlers.
    private let settle: Int32

    /// `settleMilliseconds`: after calling handlers, how long writes gather before the
    /// next read (a handler runs at most once per such interval per file).
    package init(settleMilliseconds: Int = 20) {
        settle = Int32(clamping: max(0, settleMilliseconds))
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        let inotifyError = inotify < 0 ? errno : 0
        stopEvent = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        initError = inotifyError != 0 ? inotifyError : (stopEvent < 0 ? errno : 0)
    }

    deinit {
        if inotify >= 0 { close(inotify) }
        if stopEvent >= 0 { close(stopEvent) }
    }

    /// Calls `onWrite` after writes to any of `paths` (files, each in a directory that
    /// exists). Throws when the kernel refuses the watch; the caller then looks at the
    /// files on its own.
    package func watch(_ paths: [String], onWrite: @escaping @Sendable () -> Void) throws(Failure) {
        guard initError == 0 else { throw .unavailable(errno: initError) }
        let number = state.withLock { state in
            state.handlers.append(onWrite)
            return state.handlers.count - 1
        }
        for path in paths {
            let (directory, name) = Self.split(path)
            let descriptor = inotify_add_watch(
                inotify, directory, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO))
            guard descriptor >= 0 else {
                throw errno == ENOSPC ? .tooManyWatches : .directory(directory, errno: errno)
            }
            state.withLock { $0.byDirectory[descriptor, default: [:]][name, default: []].append(number) }
        }
    }

    /// `path`'s directory (`.` for a bare name) and file name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    package func start() {
        // Only a started thread is waited for by `stop`.
        let start = state.withLock { state in
            guard !state.started, initError == 0 else { return false }
            state.started = true
            return true
        }
        guard start else { return }
        PoolThread(name: "dpbridge-files") { [self] in
            run()
            ended.store(true, ordering: .releasing)
            endedSignal.notify()
        }.start()
    }

    /// Out of the watchdog: its thread waits for the kernel as long as nothing is written,
    /// and its handlers only wake other parts, which are watched.
    package var heartbeat: UInt64? { nil }

    package func stop() {
        let running = state.withLock { $0.started }
        guard running, !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = write(stopEvent, &one, 8)
        // The thread only reads and calls handlers that return at once: it ends promptly.
        endedSignal.wait { ended.load(ordering: .acquiring) }
    }

    private func run() {
        var descriptors = [
            pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stopEvent, events: Int16(POLLIN), revents: 0),
        ]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while !stopped.load(ordering: .acquiring) {
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 { return }
            var written = Set<Int>()
            while true {
                let count = read(inotify, buffer.baseAddress, buffer.count)
                guard count > 0 else { break }
                collect(UnsafeRawBufferPointer(rebasing: buffer[..<count]), into: &written)
            }
            let handlers = state.withLock { state in written.map { state.handlers[$0] } }
            for handler in handlers { handler() }
            // Let writes gather before the next read: the kernel folds repeated events of
            // one file into one meanwhile. Every write of a busy store in the same
            // directory is an event, and read one by one they cost ~5% of the daemon at
            // 1,000 callbacks a second. Returns at once on `stop`.
            if settle > 0 {
                var stopOnly = pollfd(fd: stopEvent, events: Int16(POLLIN), revents: 0)
                if poll(&stopOnly, 1, settle) > 0 { return }
            }
        }
    }

    /// The handlers of the files named in `events` (each handler once).
    private func collect(_ events: UnsafeRawBufferPointer, into handlers: inout Set<Int>) {
        let header = MemoryLayout<inotify_event>.size
        var offset = 0
        state.withLock { state in
            while offset + header <= events.count {
                let descriptor = events.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = events.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    // Events were lost: every file may have been written.
                    handlers.formUnion(state.handlers.indices)
                }
                let nameLength = Int(events.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(
                    rebasing: events[(offset + header)..<min(events.count, offset + header + nameLength)])
                offset += header + nameLength
                guard let byName = state.byDirectory[descriptor] else { continue }
                // The name is NUL-padded to its length.
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                handlers.formUnion(byName[name] ?? [])
            }
        }
    }
}
