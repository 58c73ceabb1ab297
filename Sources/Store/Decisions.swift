import Foundation

/// One answer given to a blocking question from Docplanner (`slot-booking`,
/// `booking-moving`): approved, or denied with the `error_code` sent and why.
package struct DecisionRecord: Sendable, Equatable {
    package var id: Int64?
    package var decidedAt: Date
    package var eventName: String
    /// The event's identity (`DocplannerNotification.identityKey`).
    package var eventKey: String
    package var doctorID: String?
    package var addressID: String?
    package var startAt: String?
    package var approved: Bool
    package var errorCode: String?
    package var reason: String
    /// From receipt to the decision.
    package var elapsedMilliseconds: Double

    package init(
        id: Int64? = nil, decidedAt: Date, eventName: String, eventKey: String, doctorID: String?, addressID: String?,
        startAt: String?, approved: Bool, errorCode: String?, reason: String, elapsedMilliseconds: Double
    ) {
        self.id = id
        self.decidedAt = decidedAt
        self.eventName = eventName
        self.eventKey = eventKey
        self.doctorID = doctorID
        self.addressID = addressID
        self.startAt = startAt
        self.approved = approved
        self.errorCode = errorCode
        self.reason = reason
        self.elapsedMilliseconds = elapsedMilliseconds
    }
}

/// The log of blocking decisions, for `dpbridge status` and for explaining to a clinic
/// why Docplanner refused a patient's booking.
package final class Decisions: Sendable {
    private let writer: GroupCommitWriter
    private let control: ControlConnection

    init(writer: GroupCommitWriter, control: ControlConnection) {
        self.writer = writer
        self.control = control
    }

    /// Records `decision`; `completion` runs once it is durable.
    package func record(_ decision: DecisionRecord, completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void)
    {
        writer.submit(.decision(decision, completion))
    }

    /// The newest decisions first.
    package func list(limit: Int = 100) throws(StoreError) -> [DecisionRecord] {
        try control.with { database throws(StoreError) in
            let select = try database.prepare(
                """
                SELECT id, decided_at, event_name, event_key, doctor_id, address_id, start_at, approved, error_code,
                reason, elapsed_ms FROM decisions ORDER BY id DESC LIMIT ?
                """)
            try select.bind([.integer(Int64(limit))])
            defer { select.reset() }
            var records: [DecisionRecord] = []
            while try select.step() {
                records.append(
                    DecisionRecord(
                        id: select.int64(0), decidedAt: Date(timeIntervalSince1970: select.double(1)),
                        eventName: select.text(2) ?? "", eventKey: select.text(3) ?? "", doctorID: select.text(4),
                        addressID: select.text(5), startAt: select.text(6), approved: select.int(7) != 0,
                        errorCode: select.text(8), reason: select.text(9) ?? "", elapsedMilliseconds: select.double(10))
                )
            }
            return records
        }
    }
}
