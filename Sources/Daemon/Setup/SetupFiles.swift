import Foundation
import Glibc

/// The file operations of `dpbridge init`: each file is written whole or not at all (a
/// temporary file, synced, renamed over the target) and gets the mode asked for whatever
/// the umask; directories are created with their mode and tightened when looser.
enum SetupFiles {
    /// What happened to a directory.
    enum DirectoryOutcome: Equatable {
        case created, existed, tightened
    }

    /// The file's text, or nil when there is no such file.
    static func read(_ path: String) throws(SetupError) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw .file(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .file(path: path, reason: "not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: "cannot be read (run dpbridge init as root)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` to `path` with exactly `mode`, replacing any file there in one step.
    static func write(_ text: String, to path: String, mode: mode_t) throws(SetupError) {
        let temporary = path + ".dpbridge-init-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw .file(path: temporary, reason: String(cString: strerror(errno))) }
        var failure: String?
        if fchmod(descriptor, mode) != 0 { failure = String(cString: strerror(errno)) }
        var bytes = Array(text.utf8)
        var written = 0
        while failure == nil, written < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
            } else {
                written += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .file(path: path, reason: failure)
        }
        syncDirectory(of: path)
    }

    /// Creates `path` with `mode`; an existing directory with permissions beyond `mode`
    /// gets `mode` when `tighten` (the credentials directory), else is left as it is.
    static func makeDirectory(_ path: String, mode: mode_t, tighten: Bool) throws(SetupError) -> DirectoryOutcome {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw .file(path: path, reason: "exists and is not a directory")
            }
            guard tighten, status.st_mode & 0o777 & ~mode != 0 else { return .existed }
            guard chmod(path, mode) == 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
            return .tightened
        }
        guard errno == ENOENT else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        guard mkdir(path, mode) == 0, chmod(path, mode) == 0 else {
            throw .file(path: path, reason: String(cString: strerror(errno)))
        }
        syncDirectory(of: path)
        return .created
    }

    /// Gives an existing file `mode` when it allows more; true when it did.
    static func tighten(_ path: String, to mode: mode_t) throws(SetupError) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        guard status.st_mode & 0o777 & ~mode != 0 else { return false }
        guard chmod(path, mode) == 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        return true
    }

    /// The permission bits of `path`.
    static func mode(of path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }

    /// Makes a rename or a new entry in the directory holding `path` durable.
    private static func syncDirectory(of path: String) {
        let parent = (path as NSString).deletingLastPathComponent
        let descriptor = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
