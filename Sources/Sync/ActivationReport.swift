/// The outcome of `dpbridge activate`: each of Docplanner's five activation steps,
/// green or red with what is wrong and how to fix it, and whether the clinic is ready.
package struct ActivationReport: Sendable, Codable, Equatable {
    package struct Step: Sendable, Codable, Equatable {
        package var number: Int
        package var title: String
        package var ok: Bool
        /// One line: what the step found or did.
        package var summary: String
        package var problems: [ActivationProblem]
        /// Docplanner write operations this step called.
        package var writes: [String]

        package init(
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

    package var facilityID: String
    package var doctorID: String?
    package var steps: [Step]
    package var ready: Bool { steps.allSatisfy(\.ok) }
    package var writeCalls: Int { steps.reduce(0) { $0 + $1.writes.count } }

    package init(facilityID: String, doctorID: String?, steps: [Step]) {
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

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(facilityID, forKey: .facilityID)
        try container.encodeIfPresent(doctorID, forKey: .doctorID)
        try container.encode(steps, forKey: .steps)
        try container.encode(ready, forKey: .ready)
        try container.encode(writeCalls, forKey: .writeCalls)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        facilityID = try container.decode(String.self, forKey: .facilityID)
        doctorID = try container.decodeIfPresent(String.self, forKey: .doctorID)
        steps = try container.decode([Step].self, forKey: .steps)
    }
}
