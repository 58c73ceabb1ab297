import Foundation
import Scheduling
import Synchronization
import Testing

/// Writes to watched files wake their handlers, from this process or another; other files
/// of the directory do not; a file deleted and made again stays watched.
@Suite struct FileWriteWatchTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "dpbridge-files-\(UUID().uuidString)"
    ).path

    func append(_ name: String) throws {
        let path = directory + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
    }

    @Test func closingAFileOpenedForWritingWithoutWritingWakesNobody() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/calendar.sqlite", contents: nil)
        let watch = FileWriteWatch()
        watch.start()
        defer { watch.stop() }
        let calendar = Atomic<Int>(0)
        let sentinel = Atomic<Int>(0)
        try watch.watch([directory + "/calendar.sqlite"]) { calendar.add(1, ordering: .relaxed) }
        try watch.watch([directory + "/sentinel"]) { sentinel.add(1, ordering: .relaxed) }

        // What closing an idle SQLite connection does to the calendar: its descriptor,
        // opened for reading and writing, is closed.
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/calendar.sqlite"))
        try handle.close()
        // The kernel queues events in order and the watch reads them in order: once the
        // sentinel's write is seen, the close was seen before it.
        try append("sentinel")
        #expect(WorkSchedulerTests.eventually { sentinel.load(ordering: .relaxed) >= 1 })
        #expect(calendar.load(ordering: .relaxed) == 0)
        try append("calendar.sqlite")
        #expect(WorkSchedulerTests.eventually { calendar.load(ordering: .relaxed) >= 1 })
    }

    @Test func writesWakeTheirHandlerAndOnlyIt() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watch = FileWriteWatch()
        watch.start()
        defer { watch.stop() }
        let calendar = Atomic<Int>(0)
        let other = Atomic<Int>(0)
        try watch.watch([directory + "/calendar.sqlite", directory + "/calendar.sqlite-wal"]) {
            calendar.add(1, ordering: .relaxed)
        }
        try watch.watch([directory + "/other.sqlite"]) { other.add(1, ordering: .relaxed) }

        try append("unwatched.sqlite")
        try append("calendar.sqlite-wal")
        #expect(WorkSchedulerTests.eventually { calendar.load(ordering: .relaxed) >= 1 })
        #expect(other.load(ordering: .relaxed) == 0, "another file's handler stays asleep")

        // Deleted and made again (SQLite's -wal), the file is still watched.
        try FileManager.default.removeItem(atPath: directory + "/calendar.sqlite-wal")
        let before = calendar.load(ordering: .relaxed)
        try append("calendar.sqlite-wal")
        #expect(WorkSchedulerTests.eventually { calendar.load(ordering: .relaxed) > before })

        // From another process.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf y >> '\(directory)/other.sqlite'"]
        try shell.run()
        shell.waitUntilExit()
        #expect(WorkSchedulerTests.eventually { other.load(ordering: .relaxed) >= 1 })
    }

    @Test func aMissingDirectoryIsRefusedWithItsPath() {
        let watch = FileWriteWatch()
        #expect(throws: FileWriteWatch.Failure.self) {
            try watch.watch(["/nonexistent-dpbridge-dir/calendar.sqlite"]) {}
        }
        do {
            try watch.watch(["/nonexistent-dpbridge-dir/calendar.sqlite"]) {}
        } catch {
            #expect(error.description.contains("/nonexistent-dpbridge-dir"))
        }
    }

    @Test func stopEndsTheThreadAndLaterWritesWakeNothing() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watch = FileWriteWatch()
        let woken = Atomic<Int>(0)
        try watch.watch([directory + "/a"]) { woken.add(1, ordering: .relaxed) }
        watch.start()
        watch.stop()
        try append("a")
        usleep(100_000)
        #expect(woken.load(ordering: .relaxed) == 0)
    }
}
