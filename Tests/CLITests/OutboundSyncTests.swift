import Foundation
import TestSupport
import Testing

/// Clinic-side changes written into the embedded partner calendar reach a live simulator
/// through a live daemon: schedules become slots, clinic bookings become Docplanner
/// bookings, and their cancel, move, confirm, presence and breaks follow.
@Suite(.serialized) struct OutboundSyncTests {
    @Test func scheduleChangesBecomeSlotsCoalescedPerCalendar() throws {
        // A 3 s window, so that a loaded machine still writes the whole burst inside it; a
        // budget that lets the whole horizon (84 days, a call each) go at once.
        try withDaemonAndSimulator(
            simulatorArguments: ["--no-rate-limits"], extraYAML: "workers:\n  coalesce_ms: 3000",
            extraEnvironment: ["DPBRIDGE_DOCPLANNER_WRITE_LIMIT_PER_MINUTE": "1000"]
        ) { daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            let replacesBefore = try simulator.requestCount("PUT", containing: "/addresses/111/", suffix: "/slots")

            // A burst of edits to one calendar's hours: every weekday 08:00–12:00, 30-minute visits,
            // written as eight separate transactions within the coalescing window.
            var statements = ["BEGIN;"]
            for weekday in 1...7 {
                statements.append(
                    """
                    INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time,
                        address_service_id, duration) VALUES ('1', '123', '111', \(weekday), '08:00', '11:00', '101', 30);
                    """)
            }
            statements.append("COMMIT;")
            for weekday in 1...7 {
                statements.append("UPDATE working_hours SET end_time = '12:00' WHERE weekday = \(weekday);")
            }
            _ = try sqlite(partner, statements.joined(separator: "\n"))

            // Day 10 has nothing seeded: its slots are exactly the working hours.
            let tenth = (warsawTime(days: 10, hour: 0), warsawTime(days: 11, hour: 0))
            #expect(
                try eventually {
                    let starts = try simulator.slotStarts(address: "111", from: tenth.0, to: tenth.1)
                    return starts == (0..<8).map { warsawTime(days: 10, hour: 8 + $0 / 2, minute: $0 % 2 * 30) }
                }, "slots of day 10: \((try? simulator.slotStarts(address: "111", from: tenth.0, to: tenth.1)) ?? [])")
            // Twelve weeks ahead are fed, not more.
            let farDay = (warsawTime(days: 80, hour: 0), warsawTime(days: 81, hour: 0))
            #expect(
                try eventually { try simulator.slotStarts(address: "111", from: farDay.0, to: farDay.1).count == 8 })
            // Eight statements in a burst became one feed: a replaceSlots per day of the
            // horizon (each day described whole), not one per statement.
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT count(*) FROM dpbridge_slot_days WHERE address_id = '111'") == "84"
                })
            usleep(1_000_000)
            let replaces =
                try simulator.requestCount("PUT", containing: "/addresses/111/", suffix: "/slots") - replacesBefore
            #expect(replaces == 84, "replaceSlots calls: \(replaces)")

            // Day slots override a date: day 10 closed, day 11 14:00–15:00.
            let dayAfter = String(warsawTime(days: 11, hour: 0).prefix(10))
            let closedDay = String(tenth.0.prefix(10))
            _ = try sqlite(
                partner,
                """
                INSERT INTO day_slots (facility_id, doctor_id, address_id, day) VALUES ('1', '123', '111', '\(closedDay)');
                INSERT INTO day_slots (facility_id, doctor_id, address_id, day, start_time, end_time, address_service_id, duration)
                    VALUES ('1', '123', '111', '\(dayAfter)', '14:00', '15:00', '102', 15);
                """)
            #expect(
                try eventually {
                    try simulator.slotStarts(address: "111", from: tenth.0, to: tenth.1).isEmpty
                })
            let eleventh = (warsawTime(days: 11, hour: 0), warsawTime(days: 12, hour: 0))
            #expect(
                try eventually {
                    try simulator.slotStarts(address: "111", from: eleventh.0, to: eleventh.1)
                        == [0, 15, 30, 45].map { warsawTime(days: 11, hour: 14, minute: $0) }
                })
            // Two days changed: two more calls, each day whole (a closed day is one closed range).
            #expect(
                try eventually {
                    try simulator.requestCount("PUT", containing: "/addresses/111/", suffix: "/slots") - replacesBefore
                        == 86
                })
            #expect(try simulator.requestCount("DELETE", containing: "/addresses/111/slots/") == 0)

            // Nothing left over: the feed was recorded per day and the change log is drained.
            #expect(try eventually { try sqlite(partner, "SELECT count(*) FROM change_log") == "0" })
            #expect(try sqlite(partner, "SELECT count(*) FROM dpbridge_slot_days WHERE address_id = '111'") == "84")
            let log = daemon.stopAndReadLog()
            #expect(log.contains("calls=replaceSlots"), "\(log)")
        }
    }

    @Test func clinicBookingLifecycleReachesDocplanner() throws {
        try withDaemonAndSimulator { daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            func dpID(_ row: String) throws -> String {
                try sqlite(partner, "SELECT coalesce(docplanner_booking_id, '') FROM bookings WHERE id = \(row)")
            }

            // Booked at the clinic's front desk, in a seeded free slot (day 4, 10:00, 30 minutes).
            let start = warsawTime(days: 4, hour: 10)
            let end = warsawTime(days: 4, hour: 10, minute: 30)
            let row = try sqlite(
                partner,
                """
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id,
                    patient_name, patient_surname, patient_phone)
                VALUES ('1', '123', '111', '\(start)', '\(end)', '101', 'Anna', 'Nowak', '+48500100200');
                SELECT last_insert_rowid();
                """)
            #expect(try eventually { try !dpID(row).isEmpty }, "\(daemon.log)")
            let booked = try dpID(row)
            let onDocplanner = try simulator.booking(booked)
            #expect(onDocplanner?["status"] as? String == "booked", "\(String(describing: onDocplanner))")
            #expect(onDocplanner?["start_at"] as? String == start)
            #expect(onDocplanner?["booked_by"] as? String == "integration")

            // Confirmed.
            _ = try sqlite(partner, "UPDATE bookings SET confirmed = 1 WHERE id = \(row)")
            #expect(try eventually { try simulator.booking(booked)?["confirmed"] as? Bool == true })

            // Yesterday's visit (seeded 700001, imported by the clinic): the patient came.
            _ = try sqlite(
                partner,
                """
                INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at,
                    address_service_id, patient_name, presence)
                VALUES ('700001', '1', '123', '111', '\(warsawTime(days: -1, hour: 10))', '\(warsawTime(days: -1, hour: 10, minute: 30))',
                    '101', 'Abraham', 'present');
                """)
            #expect(try eventually { try simulator.booking("700001")?["presence"] as? String == "present" })

            // Moved to 11:00 by editing start_at/end_at only: Docplanner makes a new booking.
            _ = try sqlite(
                partner,
                """
                UPDATE bookings SET start_at = '\(warsawTime(days: 4, hour: 11))', end_at = '\(warsawTime(days: 4, hour: 11, minute: 30))'
                WHERE id = \(row)
                """)
            #expect(try eventually { try dpID(row) != booked })
            let moved = try dpID(row)
            #expect(try simulator.booking(booked)?["newest_id"] as? String == moved)
            #expect(try simulator.booking(moved)?["start_at"] as? String == warsawTime(days: 4, hour: 11))

            // Canceled in the clinic.
            _ = try sqlite(partner, "UPDATE bookings SET status = 'canceled' WHERE id = \(row)")
            #expect(try eventually { try simulator.booking(moved)?["status"] as? String == "canceled" })

            // A visit a patient booked on Docplanner, deleted outright in the clinic: canceled there.
            _ = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 5, hour: 9)])
            #expect(
                try eventually {
                    try sqlite(
                        partner, "SELECT count(*) FROM bookings WHERE start_at = '\(warsawTime(days: 5, hour: 9))'")
                        == "1"
                })
            let patientBooked = try sqlite(
                partner, "SELECT docplanner_booking_id FROM bookings WHERE start_at = '\(warsawTime(days: 5, hour: 9))'"
            )
            _ = try sqlite(partner, "DELETE FROM bookings WHERE docplanner_booking_id = '\(patientBooked)'")
            #expect(try eventually { try simulator.booking(patientBooked)?["status"] as? String == "canceled" })

            // An unusable clinic booking (no phone) becomes a dead letter that says why.
            _ = try sqlite(
                partner,
                """
                INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id, patient_name)
                VALUES ('1', '123', '111', '\(warsawTime(days: 4, hour: 9))', '\(warsawTime(days: 4, hour: 9, minute: 30))',
                    '101', 'No Phone');
                """)
            let store = daemon.directory.file("state/dpbridge.sqlite")
            #expect(
                try eventually {
                    try sqlite(
                        store, "SELECT count(*) FROM outbox WHERE state = 'dead' AND last_error LIKE '%patient_phone%'")
                        == "1"
                })
            #expect(try sqlite(store, "SELECT count(*) FROM outbox WHERE state = 'dead'") == "1")

            // Docplanner's own changes applied inbound were not echoed back as clinic changes.
            let bookSlotCalls = try simulator.requestCount("POST", containing: "/addresses/111/slots/", suffix: "/book")
            #expect(bookSlotCalls == 1, "bookSlot calls: \(bookSlotCalls)")
        }
    }

    @Test func clinicBreaksAreAddedMovedAndDeleted() throws {
        try withDaemonAndSimulator { daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            func breaksOnDocplanner() throws -> [[String: Any]] {
                let range =
                    "since=\(percentEncoded(warsawTime(days: 5, hour: 0)))&till=\(percentEncoded(warsawTime(days: 6, hour: 0)))"
                let answer =
                    try simulator.api("/facilities/1/doctors/123/addresses/111/breaks?\(range)") as? [String: Any]
                return (answer?["_items"] as? [[String: Any]]) ?? []
            }

            let row = try sqlite(
                partner,
                """
                INSERT INTO breaks (facility_id, doctor_id, address_id, since, till)
                VALUES ('1', '123', '111', '\(warsawTime(days: 5, hour: 12))', '\(warsawTime(days: 5, hour: 13))');
                SELECT last_insert_rowid();
                """)
            #expect(
                try eventually {
                    try breaksOnDocplanner().first?["since"] as? String == warsawTime(days: 5, hour: 12)
                }, "\(daemon.log)")
            let breakID = try sqlite(partner, "SELECT docplanner_break_id FROM breaks WHERE id = \(row)")
            #expect(!breakID.isEmpty)

            _ = try sqlite(partner, "UPDATE breaks SET till = '\(warsawTime(days: 5, hour: 14))' WHERE id = \(row)")
            #expect(
                try eventually {
                    let found = try breaksOnDocplanner()
                    return found.count == 1 && found.first?["till"] as? String == warsawTime(days: 5, hour: 14)
                        && found.first?["id"] as? String == breakID
                })

            _ = try sqlite(partner, "DELETE FROM breaks WHERE id = \(row)")
            #expect(try eventually { try breaksOnDocplanner().isEmpty }, "\(daemon.log)")
        }
    }
}
