import CLinux
import Glibc

/// A thread running one closure (Foundation's `Thread` would pull Foundation in here).
final class PoolThread: @unchecked Sendable {
    // @unchecked: `body` is set in init and only read by the new thread.
    let name: String
    let body: () -> Void

    init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    func start() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // 512 KiB: enough for SQLite and libcurl; fewer pages for a pool of many threads.
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(
            &thread, &attributes,
            { raw in
                let me = Unmanaged<PoolThread>.fromOpaque(raw!).takeRetainedValue()
                _ = dpb_name_this_thread(me.name)
                me.body()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        precondition(code == 0, "cannot start the thread \(name): \(code)")
    }
}
