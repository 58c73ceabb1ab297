// Load generator for scripts/crash-test.sh: enqueues events into a Store from many
// threads and prints each event's dedup key on stdout only after its commit is durable
// (the moment dpbridge would answer 2xx). The script kills this process with SIGKILL at
// random moments and checks that every printed key is in the database exactly once.
//
// usage: store-crash-child DB_PATH RUN_NUMBER [RESEND_FILE]
//   RESEND_FILE: keys acknowledged by earlier runs, enqueued again (must be duplicates).
import Foundation
import Store

let arguments = CommandLine.arguments
guard arguments.count >= 3, let run = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: store-crash-child DB_PATH RUN_NUMBER [RESEND_FILE]\n".utf8))
    exit(2)
}
let store: Store
do {
    store = try Store(path: arguments[1])
} catch {
    FileHandle.standardError.write(Data("store-crash-child: \(error)\n".utf8))
    exit(1)
}
/// Writes one line to stdout with a single write(2), so lines never interleave and each
/// is out of the process before the next enqueue starts.
@Sendable func acknowledge(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

if arguments.count >= 4, let text = try? String(contentsOfFile: arguments[3], encoding: .utf8) {
    for key in text.split(separator: "\n").suffix(50) {
        let outcome = try? store.inbox.enqueueAndWait(
            InboxItem(body: Array("resend".utf8), dedupKey: String(key), eventName: "slot-booked"))
        if let outcome, !outcome.isDuplicate {
            FileHandle.standardError.write(Data("store-crash-child: \(key) was acknowledged but not found\n".utf8))
            acknowledge("LOST \(key)")
        }
    }
}

let producers = 16
for producer in 0..<producers {
    Thread.detachNewThread {
        var sequence = 0
        while true {
            let key = "run\(run)-p\(producer)-\(sequence)"
            sequence += 1
            let body = Array(#"{"name":"slot-booked","data":{"visit_booking":{"id":"\#(key)"}}}"#.utf8)
            if let outcome = try? store.inbox.enqueueAndWait(
                InboxItem(body: body, dedupKey: key, eventName: "slot-booked", orderingKey: "booking:\(key)")),
                !outcome.isDuplicate
            {
                acknowledge(key)
            }
        }
    }
}
while true { sleep(60) }
