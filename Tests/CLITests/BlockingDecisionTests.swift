import Foundation
import TestSupport
import Testing

/// `slot-booking`, asked by the simulator of a live daemon: a time free in the clinic
/// calendar is approved (and the booking follows into it), a taken one denied with the
/// configured `error_code`, and both answers are stored.
@Suite(.serialized) struct BlockingDecisionTests {
    @Test func approvesFreeTimeAndDeniesTakenTime() throws {
        try withDaemonAndSimulator { daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")

            // Free in the clinic: approved, booked on Docplanner, and applied to the clinic calendar.
            let free = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 1, hour: 11)])
            #expect(free["outcome"] as? String == "booked", "\(free)")
            #expect(free["partner_status"] as? Int == 200, "\(free)")
            let bookingID = (free["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(try eventually {
                try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(bookingID)'") == "booked"
            })

            // Taken in the clinic by a visit Docplanner does not know of: denied with the code.
            let takenStart = warsawTime(days: 2, hour: 12)
            let takenEnd = warsawTime(days: 2, hour: 12, minute: 30)
            _ = try sqlite(
                partner,
                """
                BEGIN; UPDATE dpbridge_session SET applying = 1;
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, start_ts, end_ts, patient_name)
                VALUES ('1', '123', '111', '\(takenStart)', '\(takenEnd)', unixepoch('\(takenStart)'), unixepoch('\(takenEnd)'), 'Walk-in');
                UPDATE dpbridge_session SET applying = 0; COMMIT;
                """)
            let taken = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 2, hour: 12, minute: 15)])
            #expect(taken["outcome"] as? String == "denied", "\(taken)")
            #expect(taken["partner_status"] as? Int == 409, "\(taken)")
            #expect(taken["error_code"] as? String == "slot_not_available", "\(taken)")

            let decisions = try sqlite(
                daemon.directory.file("state/dpbridge.sqlite"),
                "SELECT event_name, approved, coalesce(error_code, '-') FROM decisions ORDER BY id")
            #expect(decisions == "slot-booking|1|-\nslot-booking|0|slot_not_available", "\(decisions)")

            let log = daemon.stopAndReadLog()
            #expect(log.contains("msg=\"booking question approved\""), "\(log)")
            #expect(log.contains("msg=\"booking question denied\""), "\(log)")
            #expect(log.contains("error_code=slot_not_available"))
        }
    }
}
