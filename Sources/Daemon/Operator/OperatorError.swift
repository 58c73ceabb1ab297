import Store

/// Why an operator command (`dpbridge status`, `queue …`, `deadletters …`, `quarantine …`,
/// `erase`) could not do what was asked, in one line. Nothing stored is changed when one
/// is thrown.
package enum OperatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration could not be loaded; each problem names its key.
    case configuration([String])
    /// The configuration has no tenant of this name.
    case unknownTenant(String, known: [String])
    /// The command's arguments do not make sense together.
    case badArguments(String)
    /// There is no store file at the configured path.
    case noStore(path: String)
    /// The store (or its lock file) cannot be opened or read.
    case storeUnreadable(path: String, reason: String)
    /// The daemon holds the store's lock but its admin listener does not answer.
    case daemonUnreachable(lockPath: String, admin: String, reason: String)
    /// The daemon's admin listener refused the request; its message is passed on as is.
    case daemonRefused(status: Int, message: String)
    /// No job with this id (in this queue, when one was named).
    case unknownJob(id: Int64, queue: QueueName?)
    /// Both queues have a job with this id that the action could apply to.
    case ambiguousJob(id: Int64)
    /// The job's state does not allow the action.
    case jobState(queue: QueueName, id: Int64, state: JobState, action: String)
    /// No quarantined body with this id.
    case unknownQuarantined(id: Int64)
    /// The store failed while the command ran.
    case store(String)
    /// The clinic calendar (or the HTTP adapter's mirror) failed while the command ran.
    case calendar(String)

    package var description: String {
        switch self {
        case .configuration(let problems):
            "configuration: " + problems.joined(separator: "; ")
        case .unknownTenant(let name, let known):
            "unknown tenant \"\(name)\": this configuration has "
                + (known.count == 1
                    ? "only the tenant \"\(known[0])\"" : "the tenants \(known.joined(separator: ", "))")
        case .badArguments(let message):
            message
        case .noStore(let path):
            "no store at \(path): the daemon has not run with this configuration yet (see store.path)"
        case .storeUnreadable(let path, let reason):
            "cannot read the store at \(path): \(reason)"
        case .daemonUnreachable(let lockPath, let admin, let reason):
            "a daemon holds \(lockPath) but its admin listener at \(admin) does not answer: \(reason)"
        case .daemonRefused(_, let message):
            message
        case .unknownJob(let id, let queue):
            queue.map { "no job \(id) in the \($0.rawValue)" } ?? "no job \(id) in the inbox or the outbox"
        case .ambiguousJob(let id):
            "both the inbox and the outbox have a job \(id): say which with --queue inbox or --queue outbox"
        case .jobState(let queue, let id, let state, let action):
            "\(queue.rawValue) job \(id) is \(state.rawValue): \(Self.refusal(state, action))"
        case .unknownQuarantined(let id):
            "no quarantined body \(id)"
        case .store(let message):
            "store: \(message)"
        case .calendar(let message):
            "calendar: \(message)"
        }
    }

    private static func refusal(_ state: JobState, _ action: String) -> String {
        switch state {
        case .inFlight: "a worker is on it now, it cannot be \(action) (try again when its attempt ends)"
        case .done: "it is finished, it cannot be \(action)"
        case .pending, .retrying: "only dead letters can be \(action)"
        case .dead: "it cannot be \(action)"
        }
    }

    /// The HTTP status the admin listener answers this error with.
    var httpStatus: Int {
        switch self {
        case .badArguments: 400
        case .unknownTenant, .unknownJob, .unknownQuarantined: 404
        case .ambiguousJob, .jobState: 409
        case .daemonRefused(let status, _): status
        default: 500
        }
    }
}
