import Foundation
import Store

/// One line of `dpbridge quarantine list`: a callback body that could not be parsed.
package struct QuarantineSummary: Codable, Sendable, Equatable {
    package var id: Int64
    package var receivedAt: Date
    /// The client address it came from.
    package var source: String
    /// Why it could not be parsed.
    package var reason: String
    /// The body's size in bytes.
    package var bytes: Int

    init(_ entry: Quarantine.Entry) {
        id = entry.id
        receivedAt = entry.receivedAt
        source = entry.source
        reason = entry.reason
        bytes = entry.body.count
    }
}

/// `dpbridge quarantine list`: the newest bodies first, and how many are kept in all.
package struct QuarantineList: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    package var total: Int
    package var entries: [QuarantineSummary]
}

/// `dpbridge quarantine show`: one body, as text and exactly (base64).
package struct QuarantineDetail: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    package var id: Int64
    package var receivedAt: Date
    package var source: String
    package var reason: String
    package var bytes: Int
    /// The body as UTF-8 text (bytes that are not UTF-8 become U+FFFD), patient fields
    /// redacted unless asked for (`PatientRedaction`).
    package var body: String
    /// The exact bytes, only when the patient's data was asked for.
    package var bodyBase64: String?

    init(_ entry: Quarantine.Entry, daemon: DaemonState, tenant: String, revealPatient: Bool = false) {
        self.daemon = daemon
        self.tenant = tenant
        id = entry.id
        receivedAt = entry.receivedAt
        source = entry.source
        reason = entry.reason
        bytes = entry.body.count
        let text = String(decoding: entry.body, as: UTF8.self)
        body = revealPatient ? text : PatientRedaction.redact(text)
        bodyBase64 = revealPatient ? Data(entry.body).base64EncodedString() : nil
    }
}

/// Which bodies `quarantine purge` deletes: the ids given, or all. Never both, never neither.
package struct QuarantineSelection: Codable, Sendable, Equatable {
    package var ids: [Int64]
    package var all: Bool

    package init(ids: [Int64], all: Bool) throws(OperatorError) {
        self.ids = ids
        self.all = all
        try check()
    }

    /// Missing keys take their defaults (`{"ids": [3]}` is enough).
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ids = try container.decodeIfPresent([Int64].self, forKey: .ids) ?? []
        all = try container.decodeIfPresent(Bool.self, forKey: .all) ?? false
    }

    func check() throws(OperatorError) {
        if all && !ids.isEmpty { throw .badArguments("give quarantined body ids or --all, not both") }
        if !all && ids.isEmpty { throw .badArguments("say which bodies: give their ids, or --all") }
    }
}

/// `dpbridge quarantine purge`: the bodies deleted.
package struct QuarantinePurgeReport: Codable, Sendable, Equatable {
    package var daemon: DaemonState
    package var tenant: String
    package var count: Int
    package var ids: [Int64]
}
