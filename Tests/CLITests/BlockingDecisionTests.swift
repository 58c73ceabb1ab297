import Foundation
import TestSupport
import Testing

/// `slot-booking`, asked by the simulator of a live daemon: a time free in the clinic
/// calendar is approved (and the booking follows into it), a taken one denied with 400
/// and the configured `error_code` (a number, as Docplanner's dictionary has them), and
/// both answers are stored.
@Suite(.serialized) struct BlockingDecisionTests {
    @Test func approvesFreeTimeAndDeniesTakenTime() throws {
        try withDaemonAndSimulator(extraEnvironment: ["DPBRIDGE_CALLBACK_ERROR_CODES_SLOT_TAKEN": "17"]) {
            daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")

            // Free in the clinic: approved, booked on Docplanner, and applied to the clinic calendar.
            let free = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 1, hour: 11)])
            #expect(free["outcome"] as? String == "booked", "\(free)")
            #expect(free["partner_status"] as? Int == 200, "\(free)")
            let bookingID = (free["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(bookingID)'")
                        == "booked"
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
            let taken = try simulator.act(
                "book", ["address_id": "111", "start": warsawTime(days: 2, hour: 12, minute: 15)])
            #expect(taken["outcome"] as? String == "denied", "\(taken)")
            #expect(taken["partner_status"] as? Int == 400, "\(taken)")
            #expect(taken["error_code"] as? Int == 17, "\(taken)")

            // Clinic visits written in either spelling of time only, as clinic software may:
            // start_at/end_at (ISO 8601) or start_ts/end_ts (Unix seconds). Both deny.
            let atOnly = (warsawTime(days: 3, hour: 10), warsawTime(days: 3, hour: 10, minute: 30))
            let tsOnly = (warsawTime(days: 3, hour: 12), warsawTime(days: 3, hour: 12, minute: 30))
            _ = try sqlite(
                partner,
                """
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, patient_name)
                VALUES ('1', '123', '111', '\(atOnly.0)', '\(atOnly.1)', 'Front desk');
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_ts, end_ts, patient_name)
                VALUES ('1', '123', '111', unixepoch('\(tsOnly.0)'), unixepoch('\(tsOnly.1)'), 'Phone');
                """)
            #expect(
                try sqlite(partner, "SELECT count(*) FROM bookings WHERE start_ts IS NULL OR start_at IS NULL") == "0")
            for start in [atOnly.0, tsOnly.0] {
                let asked = try simulator.act("book", ["address_id": "111", "start": start])
                #expect(asked["outcome"] as? String == "denied", "\(start): \(asked)")
                #expect(asked["partner_status"] as? Int == 400, "\(start): \(asked)")
            }

            let decisions = try sqlite(
                daemon.directory.file("state/dpbridge.sqlite"),
                "SELECT event_name, approved, coalesce(error_code, '-') FROM decisions ORDER BY id")
            #expect(
                decisions == "slot-booking|1|-\nslot-booking|0|17\nslot-booking|0|17\nslot-booking|0|17", "\(decisions)"
            )

            // Each answer is timed, by its result.
            let scrape = try Scrape(daemon)
            let answers = "dpbridge_blocking_answer_duration_seconds_count"
            #expect(scrape.value(answers, ["event": "slot-booking", "answer": "approved"]) == 1, "\(scrape.text)")
            #expect(scrape.value(answers, ["event": "slot-booking", "answer": "denied"]) == 3)
            #expect(scrape.total(answers, ["event": "booking-moving"]) == 0)
            #expect(scrape.types["dpbridge_blocking_answer_duration_seconds"] == "histogram")

            let log = daemon.stopAndReadLog()
            #expect(log.contains("msg=\"booking question approved\""), "\(log)")
            #expect(log.contains("msg=\"booking question denied\""), "\(log)")
            #expect(log.contains("error_code=17"))
        }
    }

    /// A clinic break written with its times in one spelling only, `since`/`till` (ISO
    /// 8601) or `since_ts`/`till_ts` (Unix seconds), makes the time it covers taken: a
    /// `slot-booking` there is denied with 400; the time beside it is still approved.
    @Test func deniesTimeCoveredByABreakInEitherSpelling() throws {
        try withDaemonAndSimulator { daemon, simulator in
            let partner = daemon.calendarPath
            let textOnly = (warsawTime(days: 4, hour: 10), warsawTime(days: 4, hour: 11))
            let secondsOnly = (warsawTime(days: 4, hour: 12), warsawTime(days: 4, hour: 13))
            // Written as dpbridge's own rows (applying = 1), so they are not sent to Docplanner as breaks.
            _ = try sqlite(
                partner,
                """
                BEGIN; UPDATE dpbridge_session SET applying = 1;
                INSERT INTO breaks (facility_id, doctor_id, address_id, since, till)
                VALUES ('1', '123', '111', '\(textOnly.0)', '\(textOnly.1)');
                INSERT INTO breaks (facility_id, doctor_id, address_id, since_ts, till_ts)
                VALUES ('1', '123', '111', unixepoch('\(secondsOnly.0)'), unixepoch('\(secondsOnly.1)'));
                UPDATE dpbridge_session SET applying = 0; COMMIT;
                """)
            #expect(
                try sqlite(
                    partner,
                    "SELECT count(*) FROM breaks WHERE since IS NULL OR since_ts IS NULL OR till IS NULL OR till_ts IS NULL"
                )
                    == "0")
            for start in [warsawTime(days: 4, hour: 10, minute: 30), warsawTime(days: 4, hour: 12, minute: 30)] {
                let asked = try simulator.act("book", ["address_id": "111", "start": start])
                #expect(asked["outcome"] as? String == "denied", "\(start): \(asked)")
                #expect(asked["partner_status"] as? Int == 400, "\(start): \(asked)")
            }
            let beside = try simulator.act(
                "book", ["address_id": "111", "start": warsawTime(days: 4, hour: 11, minute: 30)])
            #expect(beside["outcome"] as? String == "booked", "\(beside)")
            #expect(beside["partner_status"] as? Int == 200, "\(beside)")
            let decisions = try sqlite(
                daemon.directory.file("state/dpbridge.sqlite"), "SELECT event_name, approved FROM decisions ORDER BY id"
            )
            #expect(decisions == "slot-booking|0\nslot-booking|0\nslot-booking|1", "\(decisions)")
        }
    }
}
