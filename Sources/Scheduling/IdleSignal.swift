import Glibc

/// Lets a `stop` wait until what it stops has ended (a work's last run, a thread).
final class IdleSignal: @unchecked Sendable {
    // @unchecked: the mutex and condition are used only through pthread calls.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func notify() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until `done()` is true (checked after each notification and every 50 ms).
    func wait(until done: () -> Bool) {
        pthread_mutex_lock(mutex)
        while !done() {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            time.tv_nsec += 50_000_000
            if time.tv_nsec >= 1_000_000_000 {
                time.tv_sec += 1
                time.tv_nsec -= 1_000_000_000
            }
            pthread_cond_timedwait(condition, mutex, &time)
        }
        pthread_mutex_unlock(mutex)
    }
}
