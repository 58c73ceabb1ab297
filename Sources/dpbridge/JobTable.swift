import Daemon
import Foundation

/// The operator commands' human output about jobs.
enum JobTable {
    static func text(_ list: JobList, deadLetters: Bool) -> String {
        guard !list.jobs.isEmpty else {
            return deadLetters ? "no dead letters" : "no jobs"
        }
        var rows: [[String]] =
            deadLetters
            ? [["QUEUE", "ID", "KIND", "ATTEMPTS", "FAILED", "REASON"]]
            : [["QUEUE", "ID", "STATE", "KIND", "ATTEMPTS", "CREATED", "LAST ERROR"]]
        for job in list.jobs {
            rows.append(
                deadLetters
                    ? [
                        job.queue.rawValue, "\(job.id)", job.kind, "\(job.attempts)",
                        OperatorFormat.time(job.finishedAt),
                        OperatorFormat.short(job.lastError),
                    ]
                    : [
                        job.queue.rawValue, "\(job.id)", job.state.rawValue, job.kind, "\(job.attempts)",
                        OperatorFormat.time(job.createdAt), OperatorFormat.short(job.lastError),
                    ])
        }
        var text = OperatorFormat.table(rows)
        if list.total > list.jobs.count {
            text += "\n\(list.jobs.count) of \(list.total) shown (raise --limit to see more)"
        }
        return text
    }

    static func detail(_ job: JobDetail) -> String {
        let rows: [[String]] = [
            ["queue", job.queue.rawValue],
            ["id", "\(job.id)"],
            ["state", job.state.rawValue],
            ["kind", job.kind],
            ["key", job.key],
            ["ordering key", job.orderingKey ?? "-"],
            ["coalesce key", job.coalesceKey ?? "-"],
            ["priority", "\(job.priority)"],
            ["source", job.source.isEmpty ? "-" : job.source],
            ["attempts", "\(job.attempts)"],
            ["last error", job.lastError ?? "-"],
            ["created", OperatorFormat.time(job.createdAt)],
            [
                "due",
                job.state == .pending || job.state == .retrying ? job.dueAt.map(OperatorFormat.time) ?? "now" : "-",
            ],
            ["lease until", OperatorFormat.time(job.leaseUntil)],
            ["finished", OperatorFormat.time(job.finishedAt)],
        ]
        return OperatorFormat.table(rows) + "\npayload:\n" + OperatorFormat.payload(job.payload)
    }

    static func change(_ report: ChangeReport) -> String {
        guard report.count > 0 else {
            return report.action == .purged ? "nothing to purge" : "no dead letters to replay"
        }
        let jobs = report.jobs.map { "\($0.queue.rawValue) \($0.id)" }.joined(separator: ", ")
        return "\(report.action.rawValue) \(report.count) job(s): \(jobs)"
    }
}
