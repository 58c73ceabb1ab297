import Foundation

/// Polls `probe` until it returns true, for at most `attempts` tries `interval` seconds
/// apart (by default 200 × 50 ms, 10 s): the one way tests wait for something another
/// thread or process does. Bounded, so a test that waits in vain fails instead of hanging.
package func eventually(attempts: Int = 200, every interval: Double = 0.05, _ probe: () throws -> Bool) rethrows -> Bool
{
    for _ in 0..<attempts {
        if try probe() { return true }
        usleep(UInt32(interval * 1_000_000))
    }
    return try probe()
}
