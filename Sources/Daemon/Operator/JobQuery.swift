import Store

/// Which jobs `queue list` / `deadletters list` show: the queues, the states, how many.
/// Built from the command's options or the admin API's query parameters, checked the
/// same way for both.
package struct JobQuery: Sendable, Equatable {
    package var queues: [QueueName]
    package var states: Set<JobState>
    package var limit: Int

    package static let defaultLimit = 50

    /// `queue`: `inbox`, `outbox` or nil (both); `states`: state names (none: every state
    /// but done); `limit`: 1…10000 (nil: 50).
    package init(queue: String?, states: [String], limit: Int?) throws(OperatorError) {
        queues = try Self.queues(queue)
        var parsed = Set<JobState>()
        for name in states {
            parsed.insert(try Self.state(name))
        }
        self.states = parsed.isEmpty ? JobState.open : parsed
        let limit = limit ?? Self.defaultLimit
        guard (1...10_000).contains(limit) else {
            throw .badArguments("--limit must be between 1 and 10000 (not \(limit))")
        }
        self.limit = limit
    }

    /// The queues `name` names: one, or both when nil.
    static func queues(_ name: String?) throws(OperatorError) -> [QueueName] {
        guard let name else { return QueueName.allCases }
        return [try queue(name)]
    }

    static func queue(_ name: String) throws(OperatorError) -> QueueName {
        guard let queue = QueueName(rawValue: name) else {
            throw .badArguments("--queue must be inbox or outbox (not \"\(name)\")")
        }
        return queue
    }

    static func state(_ name: String) throws(OperatorError) -> JobState {
        let spelled = name == "inflight" || name == "in_flight" ? "in-flight" : name == "retry" ? "retrying" : name
        guard let state = JobState(rawValue: spelled) else {
            throw .badArguments(
                "--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")) (not \"\(name)\")")
        }
        return state
    }

    /// The admin API's query parameters for this query.
    var parameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if queues.count == 1 { parameters.append(("queue", queues[0].rawValue)) }
        parameters.append(("state", states.map(\.rawValue).sorted().joined(separator: ",")))
        parameters.append(("limit", "\(limit)"))
        return parameters
    }

    /// Parses the admin API's query parameters.
    init(parameters: QueryParameters) throws(OperatorError) {
        let limit = try parameters["limit"].map { (text: String) throws(OperatorError) -> Int in
            guard let number = Int(text) else { throw .badArguments("limit must be a number (not \"\(text)\")") }
            return number
        }
        let states = parameters["state"].map { $0.split(separator: ",").map(String.init) } ?? []
        try self.init(queue: parameters["queue"], states: states, limit: limit)
    }
}

/// Which jobs `queue purge`, `deadletters replay` and `deadletters purge` change: the
/// ids given (each in `queue`, or in whichever queue has it), or every job in `states`
/// (in `queue`, or both) when `all` is set. Never both, never neither.
package struct JobSelection: Codable, Sendable, Equatable {
    package var queue: QueueName?
    package var ids: [Int64]
    package var all: Bool
    /// For `all`: the states to take (each must be purgeable); empty: the action's default.
    package var states: [JobState]

    package init(queue: String?, ids: [Int64], all: Bool, states: [String] = []) throws(OperatorError) {
        self.queue = try queue.map { (name: String) throws(OperatorError) -> QueueName in try JobQuery.queue(name) }
        self.ids = ids
        self.all = all
        var parsed: [JobState] = []
        for name in states { parsed.append(try JobQuery.state(name)) }
        self.states = parsed
        try check()
    }

    /// Missing keys take their defaults (`{"ids": [3]}` is enough), for clients of the
    /// admin API other than the commands.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        queue = try container.decodeIfPresent(QueueName.self, forKey: .queue)
        ids = try container.decodeIfPresent([Int64].self, forKey: .ids) ?? []
        all = try container.decodeIfPresent(Bool.self, forKey: .all) ?? false
        states = try container.decodeIfPresent([JobState].self, forKey: .states) ?? []
    }

    /// Refuses a selection that names no jobs, or both ids and all.
    func check() throws(OperatorError) {
        if all && !ids.isEmpty { throw .badArguments("give job ids or --all, not both") }
        if !all && ids.isEmpty { throw .badArguments("say which jobs: give their ids, or --all") }
        if let state = states.first(where: { !JobState.purgeable.contains($0) }) {
            throw .badArguments(
                "--state \(state.rawValue) cannot be chosen here: only pending, retrying and dead jobs can be changed")
        }
        if !all && !states.isEmpty { throw .badArguments("--state goes with --all; ids name their jobs already") }
    }
}
