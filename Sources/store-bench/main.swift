// Benchmark for scripts/bench-store.sh: durable enqueues per second with 64 concurrent
// producers through the group-commit writer, against a naive baseline where each
// enqueue is its own transaction (both synchronous=FULL), and the enqueue-to-durable
// latency at a paced rate.
//
// usage: store-bench DIRECTORY [SECONDS] [PACED_RATE]
import Foundation
import Store

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: store-bench DIRECTORY [SECONDS] [PACED_RATE]")
    exit(2)
}
let directory = arguments[1]
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 5 : 5
let pacedRate = arguments.count > 3 ? Double(arguments[3]) ?? 1000 : 1000
let producers = 64

@Sendable func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

final class Tally: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var count = 0
    private var samples: [Double] = []
    func add(_ n: Int = 1) { lock.lock(); count += n; lock.unlock() }
    func sample(_ value: Double) { lock.lock(); samples.append(value); lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return count }
    func percentile(_ p: Double) -> Double {
        lock.lock(); defer { lock.unlock() }
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

func runProducers(_ body: @escaping @Sendable (Int, Int) throws -> Void) -> Double {
    let tally = Tally()
    let deadline = now() + seconds
    let group = DispatchGroup()
    for producer in 0..<producers {
        group.enter()
        Thread.detachNewThread {
            var sequence = 0
            while now() < deadline {
                do { try body(producer, sequence) } catch { print("error: \(error)"); break }
                sequence += 1
                tally.add()
            }
            group.leave()
        }
    }
    group.wait()
    return Double(tally.total) / seconds
}

// 1. Group commit.
let groupedPath = "\(directory)/grouped.sqlite"
let store = try Store(path: groupedPath)
let grouped = runProducers { producer, sequence in
    _ = try store.inbox.enqueueAndWait(InboxItem(body: Array(repeating: 0x61, count: 600), dedupKey: "g-\(producer)-\(sequence)", eventName: "slot-booked"))
}

// 2. Paced latency through the same store.
let latency = Tally()
let pacedCount = Int(pacedRate * seconds)
let interval = 1 / pacedRate
let start = now()
let pacedGroup = DispatchGroup()
for index in 0..<pacedCount {
    let due = start + Double(index) * interval
    let wait = due - now()
    if wait > 0 { usleep(UInt32(wait * 1e6)) }
    let sent = now()
    pacedGroup.enter()
    store.inbox.enqueue(InboxItem(body: Array(repeating: 0x61, count: 600), dedupKey: "p-\(index)", eventName: "slot-booked")) { _ in
        latency.sample(now() - sent)
        pacedGroup.leave()
    }
}
pacedGroup.wait()
store.close()

// 3. Baseline: one transaction per enqueue, each producer with its own connection.
let baselinePath = "\(directory)/baseline.sqlite"
do {
    let setup = try Store(path: baselinePath)
    setup.close()
}
final class ConnectionPool: @unchecked Sendable {
    // @unchecked: each connection is used by exactly one producer thread.
    let connections: [Database]
    init(path: String, count: Int) throws { connections = try (0..<count).map { _ in try Database(path: path, busyTimeoutMilliseconds: 60000) } }
}
let pool = try ConnectionPool(path: baselinePath, count: producers)
let baseline = runProducers { producer, sequence in
    let database = pool.connections[producer]
    try database.transaction { () throws(StoreError) in
        try database.prepare(
            "INSERT INTO inbox (dedup_key, kind, payload, source, created_at) VALUES (?, 'slot-booked', ?, '', 0)"
        ).run([.text("b-\(producer)-\(sequence)"), .blob(Array(repeating: 0x61, count: 600))])
    }
}

print(String(format: "grouped commit:      %9.0f durable enqueues/s (64 producers, synchronous=FULL)", grouped))
print(String(format: "per-enqueue commit:  %9.0f durable enqueues/s (64 producers, synchronous=FULL)", baseline))
print(String(format: "ratio:               %9.1fx", grouped / max(baseline, 1)))
print(String(format: "paced %.0f/s for %.0fs: p50 %.2f ms, p99 %.2f ms, max %.2f ms enqueue-to-durable",
             pacedRate, seconds, latency.percentile(0.5) * 1000, latency.percentile(0.99) * 1000, latency.percentile(1) * 1000))
