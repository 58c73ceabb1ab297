import Foundation

/// One daemon per store: an exclusive `flock` on `<store>.lock`, held for the life of
/// the process (the kernel drops it when the process dies, even by SIGKILL). With it
/// held, jobs left in flight belong to a dead process and can be reclaimed at once.
// Sendable: both stored properties are immutable values; the lock is released in deinit.
final class InstanceLock: Sendable {
    private let descriptor: Int32
    let path: String

    /// Fails when the file cannot be opened or another process holds the lock.
    init(storePath: String) throws {
        path = storePath + ".lock"
        // Assigned to `self.descriptor` only once locked: a throwing init whose stored
        // properties are all set also runs deinit, which would close the number again
        // (by then perhaps another thread's file or socket).
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StartupError.store(
                path: storePath, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason =
                errno == EWOULDBLOCK
                ? "another dpbridge is running on this store (\(path) is locked)"
                : "cannot lock \(path): \(String(cString: strerror(errno)))"
            close(descriptor)
            throw StartupError.store(path: storePath, reason: reason)
        }
        self.descriptor = descriptor
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// For the operator commands: the lock when no daemon holds it (then none can start
    /// while it is held), nil when one does. A lock file that does not exist yet is
    /// created with the store file's owner, so a command run as root leaves nothing the
    /// daemon's user cannot open.
    static func takeIfFree(storePath: String) throws(OperatorError) -> InstanceLock? {
        let path = storePath + ".lock"
        var descriptor = open(path, O_RDWR | O_CLOEXEC)
        if descriptor < 0 && errno == ENOENT {
            descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            var owner = stat()
            if descriptor >= 0 && stat(storePath, &owner) == 0 {
                _ = fchown(descriptor, owner.st_uid, owner.st_gid)
            }
        }
        guard descriptor >= 0 else {
            throw .storeUnreadable(path: storePath, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            close(descriptor)
            if failure == EWOULDBLOCK { return nil }
            throw .storeUnreadable(
                path: storePath, reason: "cannot lock \(path): \(String(cString: strerror(failure)))")
        }
        return InstanceLock(descriptor: descriptor, path: path)
    }

    deinit { close(descriptor) }
}
