internal import CLinux

/// glibc's malloc gives each thread that allocates its own arena, up to 8 per core, and
/// each keeps its freed memory and top chunk resident. The daemon's dozen threads
/// (event loops, store writer, workers, background loop, watchdog) allocate little, so
/// two arenas serve them: the per-thread caches (tcache) keep small allocations off the
/// arena locks, and the event loop allocates and frees on its own thread.
package enum MallocArenas {
    /// Limits the arenas to `count`. Call first thing in `main`, before other threads
    /// allocate (a thread keeps the arena it was given).
    package static func limit(to count: Int32 = 2) {
        _ = dpb_mallopt_arena_max(count)
    }

    /// Gives the free pages of every arena back to the kernel, those between live
    /// allocations too (`malloc_trim`). It walks the whole heap: call it after freeing
    /// much at once, not after each free.
    package static func releaseFreeMemory() {
        _ = dpb_malloc_trim()
    }
}
