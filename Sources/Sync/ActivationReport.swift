/// The outcome of `dpbridge activate`: each of Docplanner's five activation steps,
/// green or red with what is wrong and how to fix it, and whether the clinic is ready.
public struct ActivationReport: Sendable, Codable, Equatable {
    public struct Step: Sendable, Codable, Equatable {
        public var number: Int
        public var title: String
        public var ok: Bool
        /// One line: what the step found or did.
        public var summary: String
        public var problems: [ActivationProblem]
        /// Docplanner write operations this step called.
        public var writes: [String]

        public init(
            number: Int, title: String, ok: Bool, summary: String, problems: [ActivationProblem] = [],
            writes: [String] = []
        ) {
            self.number = number
            self.title = title
            self.ok = ok
            self.summary = summary
            self.problems = problems
            self.writes = writes
        }
    }

    public var facilityID: String
    public var doctorID: String?
    public var steps: [Step]
    public var ready: Bool { steps.allSatisfy(\.ok) }
    public var writeCalls: Int { steps.reduce(0) { $0 + $1.writes.count } }

    public init(facilityID: String, doctorID: String?, steps: [Step]) {
        self.facilityID = facilityID
        self.doctorID = doctorID
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case facilityID = "facility_id"
        case doctorID = "doctor_id"
        case steps, ready
        case writeCalls = "write_calls"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(facilityID, forKey: .facilityID)
        try container.encodeIfPresent(doctorID, forKey: .doctorID)
        try container.encode(steps, forKey: .steps)
        try container.encode(ready, forKey: .ready)
        try container.encode(writeCalls, forKey: .writeCalls)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facilityID = try container.decode(String.self, forKey: .facilityID)
        doctorID = try container.decodeIfPresent(String.self, forKey: .doctorID)
        steps = try container.decode([Step].self, forKey: .steps)
    }
}
