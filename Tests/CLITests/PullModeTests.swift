import Foundation
import TestSupport
import Testing

/// PULL mode and PUSH+PULL together, against a live simulator: events reach the partner
/// calendar through `GET /notifications/multiple`, and an event arriving both ways is
/// applied once.
@Suite(.serialized) struct PullModeTests {
    @Test func pulledEventsReachThePartnerCalendar() throws {
        try withDaemonAndSimulator(mode: "pull", simulatorArguments: ["--mode", "pull"], pushes: false) {
            daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            let booked = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 5, hour: 9)])
            let id = (booked["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(id)'") == "booked"
                }, "\(daemon.log)")

            _ = try simulator.act("move", ["booking_id": id, "start": warsawTime(days: 5, hour: 10)])
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(id)'") == "moved"
                })
            let newID = try sqlite(partner, "SELECT moved_to FROM bookings WHERE docplanner_booking_id = '\(id)'")
            _ = try simulator.act("cancel", ["booking_id": newID])
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(newID)'")
                        == "canceled"
                })
            #expect(try (simulator.state()["pull_queue"] as? Int) == 0)
            // No pushes were sent and no pings are expected in PULL mode: no ping warning.
            let status = try daemon.admin("/status").stdout
            #expect(status.contains(#""pingWarning" : null"#), "\(status)")
            // Nor a ping age to alert on.
            let scrape = try Scrape(daemon)
            #expect(scrape.value("dpbridge_store_readable") == 1)
            #expect(scrape.value("dpbridge_last_ping_age_seconds") == nil, "\(scrape.text)")
            #expect(daemon.log.contains("msg=\"pulled notification stored\""))
        }
    }

    @Test func anEventPushedAndPulledIsAppliedOnce() throws {
        try withDaemonAndSimulator(mode: "both", simulatorArguments: ["--mode", "both"]) { daemon, simulator in
            let partner = daemon.directory.file("state/partner.sqlite")
            let store = daemon.directory.file("state/dpbridge.sqlite")
            let booked = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 6, hour: 9)])
            let id = (booked["booking"] as? [String: Any])?["id"] as? String ?? "?"
            _ = try simulator.act("cancel", ["booking_id": id])
            #expect(
                try eventually {
                    try sqlite(partner, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(id)'")
                        == "canceled"
                        && (simulator.state()["pull_queue"] as? Int) == 0
                }, "\(daemon.log)")
            // Pushed and pulled: each event is stored once and applied once.
            #expect(try sqlite(store, "SELECT count(*) FROM inbox WHERE kind = 'slot-booked'") == "1")
            #expect(try sqlite(store, "SELECT count(*) FROM inbox WHERE kind = 'booking-canceled'") == "1")
            #expect(try sqlite(partner, "SELECT count(*) FROM bookings WHERE docplanner_booking_id = '\(id)'") == "1")
            #expect(eventually { daemon.log.contains("msg=\"pulled notification already stored (duplicate)\"") })
            // PUSH recovery: failed pushes are asked for again at start (then hourly); the
            // simulator started after the daemon, so the first try failed and was retried.
            #expect(try eventually(attempts: 300) { try (simulator.state()["releases"] as? Int) == 1 }, "\(daemon.log)")
            #expect(daemon.log.contains("event=notifications-released"))
        }
    }
}
