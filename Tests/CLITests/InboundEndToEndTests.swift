import Foundation
import TestSupport
import Testing

/// Docplanner-side changes reach the embedded partner calendar through a live daemon,
/// pushed and pulled: a patient's booking and its confirmation, presence, payment, move
/// and cancel; a doctor's breaks and address services. (How fast is measured by
/// `scripts/bench-e2e.sh`, not asserted here.)
@Suite(.serialized) struct InboundEndToEndTests {
    @Test(arguments: ["push", "pull"]) func everyDocplannerChangeReachesTheClinicCalendar(mode: String) throws {
        let pushes = mode == "push"
        // Generous bounds (× 50 ms): a loaded CI machine must not fail a correct daemon.
        let attempts = pushes ? 200 : 400
        try withDaemonAndSimulator(mode: mode, simulatorArguments: ["--mode", mode], pushes: pushes) {
            daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            func row(_ sql: String) throws -> String { try sqlite(partner, sql) }
            func booking(_ id: String, _ column: String) throws -> String {
                try row("SELECT coalesce(\(column), '') FROM bookings WHERE docplanner_booking_id = '\(id)'")
            }

            let booked = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 6, hour: 10)])
            let id = (booked["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(try eventually(attempts: attempts) { try booking(id, "status") == "booked" }, "\(daemon.log)")
            #expect(try booking(id, "start_at") == warsawTime(days: 6, hour: 10))

            _ = try simulator.act("confirm", ["booking_id": id])
            #expect(try eventually(attempts: attempts) { try booking(id, "confirmed") == "1" })
            _ = try simulator.act("payment", ["booking_id": id, "status": "paid"])
            #expect(try eventually(attempts: attempts) { try booking(id, "payment_status") == "paid" })

            // Presence is marked for a visit that took place: the seeded one of yesterday.
            _ = try simulator.act("presence", ["booking_id": "700001", "presence": "PRESENT"])
            #expect(try eventually(attempts: attempts) { try booking("700001", "lower(presence)") == "present" })

            let moved = try simulator.act("move", ["booking_id": id, "start": warsawTime(days: 6, hour: 11)])
            let newID = (moved["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(
                try eventually(attempts: attempts) {
                    try booking(id, "status") == "moved" && booking(newID, "status") == "booked"
                })
            #expect(try booking(newID, "start_at") == warsawTime(days: 6, hour: 11))
            _ = try simulator.act("cancel", ["booking_id": newID])
            #expect(try eventually(attempts: attempts) { try booking(newID, "status") == "canceled" })

            // A doctor's break: created, moved, removed.
            let created = try simulator.act(
                "breaks",
                [
                    "action": "create", "address_id": "111", "since": warsawTime(days: 8, hour: 12),
                    "till": warsawTime(days: 8, hour: 13),
                ])
            let breakID = created["break_id"] as? String ?? "?"
            func breakRow(_ column: String) throws -> String {
                try row("SELECT coalesce(\(column), '') FROM breaks WHERE docplanner_break_id = '\(breakID)'")
            }
            #expect(try eventually(attempts: attempts) { try breakRow("deleted") == "0" }, "\(created)")
            _ = try simulator.act(
                "breaks",
                [
                    "action": "move", "break_id": breakID, "since": warsawTime(days: 8, hour: 14),
                    "till": warsawTime(days: 8, hour: 15),
                ])
            #expect(try eventually(attempts: attempts) { try breakRow("since") == warsawTime(days: 8, hour: 14) })
            _ = try simulator.act("breaks", ["action": "remove", "break_id": breakID])
            #expect(try eventually(attempts: attempts) { try breakRow("deleted") == "1" })

            // An address service: created, changed, deleted.
            let service = try simulator.act(
                "address-services", ["action": "create", "address_id": "111", "service_id": "3", "price": 150])
            let serviceID = service["address_service_id"] as? String ?? "?"
            func serviceRow(_ column: String) throws -> String {
                try row(
                    "SELECT coalesce(\(column), '') FROM address_services WHERE docplanner_address_service_id = '\(serviceID)'"
                )
            }
            #expect(try eventually(attempts: attempts) { try serviceRow("deleted") == "0" }, "\(service)")
            _ = try simulator.act(
                "address-services", ["action": "change", "address_service_id": serviceID, "price": 180])
            #expect(try eventually(attempts: attempts) { try serviceRow("price") == "180" })
            _ = try simulator.act("address-services", ["action": "delete", "address_service_id": serviceID])
            #expect(try eventually(attempts: attempts) { try serviceRow("deleted") == "1" })

            // Nothing dead, nothing echoed back to Docplanner as a clinic change.
            let store = daemon.directory.file("state/dpbridge.sqlite")
            #expect(try sqlite(store, "SELECT count(*) FROM inbox WHERE state = 'dead'") == "0")
            #expect(try sqlite(store, "SELECT count(*) FROM outbox") == "0")
        }
    }
}
