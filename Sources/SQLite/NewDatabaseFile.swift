internal import CSQLite
import Glibc
import Synchronization

/// Makes a database file that does not exist yet, whole and at its schema's latest
/// version, in two syncs: a copy of a template written under a temporary name, synced,
/// then linked into place and the directory synced.
///
/// Made the ordinary way, a new file costs SQLite ~9 syncs (the switch to WAL and the
/// migrations run through a rollback journal, and a new journal syncs its directory) and the
/// CPU of running every migration, for each of the two files of each clinic a daemon
/// starts with. The template is built once per process and schema: the migrations run in a
/// file of its own with no journal and no syncs, which is then closed in WAL mode and read
/// back. A reader never sees a half-made file: the file appears under its name only once
/// its bytes are on disk. When another process makes the same file meanwhile, its file is
/// kept and the copy discarded.
package enum NewDatabaseFile {
    /// The schema a new file is made with.
    package struct Schema: Hashable, Sendable {
        package let migrator: Migrator
        /// `PRAGMA auto_vacuum = INCREMENTAL` before anything is written.
        package let incrementalVacuum: Bool

        package init(migrator: Migrator, incrementalVacuum: Bool) {
            self.migrator = migrator
            self.incrementalVacuum = incrementalVacuum
        }
    }

    private static let templates = Mutex<[Schema: [UInt8]]>([:])
    private static let copies = Atomic<Int>(0)
    private static let sweptDirectories = Mutex<Set<String>>([])
    private static let creatingInfix = ".creating."

    /// Makes the file at `path` with `schema` unless a file is there; true when this call
    /// made it.
    @discardableResult
    package static func makeIfMissing(at path: String, schema: Schema) throws(SQLiteError) -> Bool {
        // SQLite's names for a database that is not a file are left to SQLite.
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return false }
        guard access(path, F_OK) != 0, errno == ENOENT else { return false }
        let directory = parentDirectory(of: path)
        removeAbandonedCopies(in: directory)
        let image = try template(for: schema, beside: path)
        let copy = "\(path)\(creatingInfix)\(getpid()).\(copies.wrappingAdd(1, ordering: .relaxed).oldValue)"
        defer { unlink(copy) }
        try write(image, to: copy, for: path)
        if link(copy, path) != 0 {
            guard errno == EEXIST else { throw fileError("link \(copy) to", path) }
            return false  // Made by someone else meanwhile: theirs stays.
        }
        try syncDirectory(directory, for: path)
        return true
    }

    /// The bytes of a closed database in WAL mode with every migration of `schema` run,
    /// built the first time in a scratch file next to `path`.
    private static func template(for schema: Schema, beside path: String) throws(SQLiteError) -> [UInt8] {
        try templates.withLock { cache throws(SQLiteError) -> [UInt8] in
            if let image = cache[schema] { return image }
            let scratch = "\(path)\(creatingInfix)\(getpid()).template"
            unlink(scratch)
            defer { unlink(scratch) }
            try build(schema, at: scratch)
            let image = try read(scratch, for: path)
            cache[schema] = image
            return image
        }
    }

    private static func build(_ schema: Schema, at scratch: String) throws(SQLiteError) {
        let database = try Database(
            opening: scratch,
            flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE | SQLITE_OPEN_NOMUTEX)
        // No journal and no syncs: a failure leaves only the scratch file, deleted after.
        // Exclusive locking keeps WAL's index in memory: no -shm file is made.
        try database.execute("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        if schema.incrementalVacuum { try database.execute("PRAGMA auto_vacuum = INCREMENTAL") }
        try schema.migrator.migrate(database)
        // Marks the file as WAL (its header's version bytes); kept when it is reopened.
        try database.execute("PRAGMA journal_mode = WAL")
    }  // The connection closes here, before the file is read.

    private static func read(_ file: String, for path: String) throws(SQLiteError) -> [UInt8] {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fileError("read template", path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw fileError("read template", path) }
        var image = [UInt8](repeating: 0, count: Int(status.st_size))
        var done = 0
        while done < image.count {
            let count = image.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, $0.count - done, off_t(done))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw fileError("read template", path) }
            done += count
        }
        return image
    }

    private static func write(_ image: [UInt8], to copy: String, for path: String) throws(SQLiteError) {
        let descriptor = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fileError("create", path) }
        defer { close(descriptor) }
        var done = 0
        while done < image.count {
            let count = image.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw fileError("write", path) }
            done += count
        }
        guard fsync(descriptor) == 0 else { throw fileError("sync", path) }
    }

    private static func syncDirectory(_ directory: String, for path: String) throws(SQLiteError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fileError("sync the directory of", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw fileError("sync the directory of", path) }
    }

    /// Deletes copies left in `directory` by processes that died while making a file
    /// there; each directory is looked at once per process.
    private static func removeAbandonedCopies(in directory: String) {
        guard sweptDirectories.withLock({ $0.insert(directory).inserted }) else { return }
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(stream) {
            // A record is only as long as its name: read the name in place, never the whole struct.
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            guard let infix = name.firstRange(of: creatingInfix),
                let owner = name[infix.upperBound...].split(separator: ".").first.flatMap({ pid_t($0) }),
                owner != getpid(), kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            unlink(directory + "/" + name)
        }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func fileError(_ operation: String, _ path: String) -> SQLiteError {
        .sqlite(code: SQLITE_CANTOPEN, message: String(cString: strerror(errno)), context: "\(operation) \(path)")
    }
}
