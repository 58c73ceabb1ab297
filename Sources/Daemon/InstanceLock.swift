import Foundation

/// One daemon per store: an exclusive `flock` on `<store>.lock`, held for the life of
/// the process (the kernel drops it when the process dies, even by SIGKILL). With it
/// held, jobs left in flight belong to a dead process and can be reclaimed at once.
final class InstanceLock {
    private let descriptor: Int32
    let path: String

    /// Fails when the file cannot be opened or another process holds the lock.
    init(storePath: String) throws {
        path = storePath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StartupError.store(path: storePath, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason =
                errno == EWOULDBLOCK
                ? "another dpbridge is running on this store (\(path) is locked)"
                : "cannot lock \(path): \(String(cString: strerror(errno)))"
            close(descriptor)
            throw StartupError.store(path: storePath, reason: reason)
        }
    }

    deinit { close(descriptor) }
}
