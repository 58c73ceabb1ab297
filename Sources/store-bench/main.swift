// Benchmark for scripts/bench-store.sh.
//
// 1. Durable enqueues per second with 64 concurrent producers, through the Store as
//    the daemon uses it: each producer keeps one enqueue outstanding and issues the
//    next from the completion of the previous (the HTTP event loop answers a callback
//    from that completion). Group commit (every pending enqueue in one transaction)
//    against the same Store committing each enqueue alone; synchronous=FULL for both.
// 2. Enqueue-to-durable latency at a paced rate (default 1,000/s).
//
// usage: store-bench DIRECTORY [SECONDS] [PACED_RATE]
//        store-bench --create-store PATH (an empty store, for the reference client)
//        store-bench --postgres URL [SECONDS] (1. on PostgreSQL: the same Store, its group
//            commit on the server, in a new schema `bench_<pid>`; its tables stay for the reference)
import Foundation
import PostgresStore
import Store

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: store-bench DIRECTORY [SECONDS] [PACED_RATE] | store-bench --create-store PATH")
    exit(2)
}
// An empty store (the schema and settings the reference client of bench-store.sh writes to).
if arguments[1] == "--create-store", arguments.count == 3 {
    do {
        try Store(path: arguments[2]).close()
        exit(0)
    } catch {
        print("cannot create \(arguments[2]): \(error)")
        exit(1)
    }
}
let directory = arguments[1]
// SECONDS follows DIRECTORY, or the URL of --postgres.
let secondsIndex = arguments[1] == "--postgres" ? 3 : 2
let seconds = arguments.count > secondsIndex ? Double(arguments[secondsIndex]) ?? 5 : 5
let pacedRate = arguments.count > 3 ? Double(arguments[3]) ?? 1000 : 1000
let producers = 64
let payload = Array(repeating: UInt8(ascii: "a"), count: 600)

@Sendable func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

final class Tally: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var count = 0
    private var failures = 0
    private var samples: [Double] = []
    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    func fail() {
        lock.lock()
        failures += 1
        lock.unlock()
    }
    func sample(_ value: Double) {
        lock.lock()
        samples.append(value)
        lock.unlock()
    }
    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
    var failed: Int {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }
    func percentile(_ p: Double) -> Double {
        lock.lock()
        defer { lock.unlock() }
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Runs 64 producer chains for `seconds`; returns durable enqueues per second.
func throughput(_ store: Store, label: String) -> Double {
    throughput(label: label) { item, completion in store.inbox.enqueue(item, completion: completion) }
}

/// Runs 64 producer chains for `seconds` through `enqueue`; returns durable enqueues per second.
func throughput(
    label: String,
    enqueue: @escaping @Sendable (InboxItem, @escaping @Sendable (Result<EnqueueOutcome, StoreError>) -> Void) -> Void
) -> Double {
    let tally = Tally()
    let deadline = now() + seconds
    let group = DispatchGroup()
    @Sendable func produce(_ producer: Int, _ sequence: Int) {
        guard now() < deadline else {
            group.leave()
            return
        }
        enqueue(
            InboxItem(body: payload, dedupKey: "\(label)-\(producer)-\(sequence)", eventName: "slot-booked")
        ) { result in
            if case .success = result { tally.add() } else { tally.fail() }
            produce(producer, sequence + 1)
        }
    }
    let started = now()
    for producer in 0..<producers {
        group.enter()
        produce(producer, 0)
    }
    group.wait()
    if tally.failed > 0 { print("\(label): \(tally.failed) enqueues failed") }
    return Double(tally.total) / (now() - started)
}

// On PostgreSQL: the daemon's Store with its group commit, 64 producers.
if arguments[1] == "--postgres", arguments.count >= 3 {
    let schema = "bench_\(getpid())"
    do {
        let store = try Store(location: .postgres(PostgresEndpoint(url: arguments[2], schema: schema)))
        let rate = throughput(label: "pg") { item, completion in store.inbox.enqueue(item, completion: completion) }
        store.close()
        print("schema: \(schema)")
        print(String(format: "group commit:              %9.0f durable enqueues/s (64 producers, PostgreSQL)", rate))
        exit(0)
    } catch {
        print("store-bench: \(error)")
        exit(1)
    }
}

let grouped: Double
let latency = Tally()
do {
    let store = try Store(path: "\(directory)/grouped.sqlite")
    grouped = throughput(store, label: "g")
    // Paced latency through the same store.
    let count = Int(pacedRate * seconds)
    let start = now()
    let paced = DispatchGroup()
    for index in 0..<count {
        let wait = start + Double(index) / pacedRate - now()
        if wait > 0 { usleep(UInt32(wait * 1e6)) }
        let sent = now()
        paced.enter()
        store.inbox.enqueue(InboxItem(body: payload, dedupKey: "p-\(index)", eventName: "slot-booked")) { _ in
            latency.sample(now() - sent)
            paced.leave()
        }
    }
    paced.wait()
    store.close()
}
let single: Double
do {
    let store = try Store(path: "\(directory)/single.sqlite", maxBatchSize: 1)
    single = throughput(store, label: "s")
    store.close()
}

print(String(format: "group commit:              %9.0f durable enqueues/s (64 producers, synchronous=FULL)", grouped))
print(String(format: "one commit per enqueue:    %9.0f durable enqueues/s (64 producers, synchronous=FULL)", single))
print(String(format: "ratio:                     %9.1fx", grouped / max(single, 1)))
print(
    String(
        format: "paced %.0f/s for %.0fs: p50 %.2f ms, p99 %.2f ms, max %.2f ms enqueue-to-durable",
        pacedRate, seconds, latency.percentile(0.5) * 1000, latency.percentile(0.99) * 1000,
        latency.percentile(1) * 1000))
