import Foundation
import TestSupport
import Testing

/// `partner.adapter: http` through a live daemon, the simulator as Docplanner and a
/// loopback partner server: a patient's booking reaches the partner as a signed event;
/// while the partner answers 503 the event waits and arrives once it is back, accepted
/// exactly once; the catalog the partner sends with `PUT /v1/catalog` lands in the mirror;
/// a booking the partner makes through `POST /v1/bookings` is booked on
/// Docplanner and its id shows in `GET /v1/bookings/{id}`; a wrong token gets 401.
@Suite(.serialized) struct HTTPPartnerEndToEndTests {
    static let token = "partner-api-token-0123456789"

    /// `curl` against the admin listener's /v1 API; returns (status, JSON body).
    func call(
        _ daemon: RunningDaemon, _ method: String, _ path: String, body: String? = nil, token: String? = Self.token
    ) throws -> (Int, [String: Any]) {
        var arguments = ["-w", "\n%{http_code}", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "-d", body] }
        let result = try curl(arguments + ["http://127.0.0.1:\(daemon.adminPort)\(path)"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let json =
            (try? JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8)))
            as? [String: Any]
        return (Int(lines.last ?? "") ?? 0, json ?? [:])
    }

    @Test func eventsReachThePartnerAndThePartnersBookingsReachDocplanner() throws {
        let partnerServer = try PartnerServerProcess(secret: "partner-hmac-secret-42")
        defer { partnerServer.stop() }
        let environment = [
            "DPBRIDGE_PARTNER_ADAPTER": "http", "DPBRIDGE_PARTNER_HTTP_URL": partnerServer.url,
            "DPBRIDGE_PARTNER_HTTP_SECRET": partnerServer.secret, "DPBRIDGE_PARTNER_HTTP_TIMEOUT_SECONDS": "5",
            "DPBRIDGE_LISTEN_ADMIN_TOKEN": Self.token,
            "DPBRIDGE_RETRY_INITIAL_DELAY_SECONDS": "1", "DPBRIDGE_RETRY_MAX_DELAY_SECONDS": "1",
        ]
        try withDaemonAndSimulator(extraEnvironment: environment) { daemon, simulator in
            let mirror = daemon.directory.file("state/partner-mirror.sqlite")

            // A patient books: the partner gets one signed event naming the booking.
            let booked = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 6, hour: 10)])
            let id = (booked["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(eventually { !partnerServer.accepted(booking: id).isEmpty }, "\(booked)\n\(daemon.log)")
            let first = try #require(partnerServer.accepted(booking: id).first)
            #expect(first.signatureValid)
            #expect(first.id.hasPrefix("slot-booked|"), "\(first.id)")
            #expect(first.body["event_key"] as? String == first.id)
            let change = (first.body["changes"] as? [[String: Any]])?.first
            #expect(change?["type"] as? String == "booked")
            #expect((change?["booking"] as? [String: Any])?["start"] as? String == warsawTime(days: 6, hour: 10))
            #expect(
                try eventually {
                    try sqlite(mirror, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(id)'") == "booked"
                })

            // The partner is down: the event is retried, and arrives once it is back.
            try partnerServer.setStatus(503)
            let second = try simulator.act("book", ["address_id": "111", "start": warsawTime(days: 6, hour: 12)])
            let secondID = (second["booking"] as? [String: Any])?["id"] as? String ?? "?"
            func attempts() -> [PartnerServerProcess.Delivery] {
                partnerServer.deliveries().filter { delivery in
                    ((delivery.body["changes"] as? [[String: Any]]) ?? []).contains {
                        ($0["booking"] as? [String: Any])?["docplanner_booking_id"] as? String == secondID
                    }
                }
            }
            #expect(eventually { attempts().filter { $0.status == 503 }.count >= 2 }, "\(second)\n\(daemon.log)")
            #expect(
                try sqlite(mirror, "SELECT count(*) FROM bookings WHERE docplanner_booking_id = '\(secondID)'") == "0")
            try partnerServer.setStatus(200)
            #expect(eventually { partnerServer.accepted(booking: secondID).count == 1 }, "\(daemon.log)")
            usleep(1_500_000)  // past another retry interval: nothing is sent again
            #expect(partnerServer.accepted(booking: secondID).count == 1)
            #expect(Set(attempts().map(\.id)).count == 1, "one webhook-id for every attempt")
            #expect(attempts().allSatisfy { $0.signatureValid })
            #expect(
                try sqlite(mirror, "SELECT status FROM bookings WHERE docplanner_booking_id = '\(secondID)'")
                    == "booked")

            // The partner hands over its catalog through /v1: it lands in the mirror, where
            // `dpbridge map` and `activate` read it.
            let catalog =
                #"{"doctors": [{"id": "P-7", "name": "Anna Nowak"}], "locations": [{"id": "L-1", "name": "C"}]}"#
            #expect(try call(daemon, "PUT", "/v1/catalog", body: catalog).0 == 200)
            #expect(try sqlite(mirror, "SELECT group_concat(id) FROM clinic_doctors") == "P-7")
            #expect(
                (try call(daemon, "GET", "/v1/catalog").1["locations"] as? [[String: Any]])?.first?["id"] as? String
                    == "L-1")

            // The partner books a visit through /v1: it is booked on Docplanner.
            let body = """
                {"facility_id": "1", "doctor_id": "123", "address_id": "111", "start": "\(warsawTime(days: 4, hour: 10))",
                 "end": "\(warsawTime(days: 4, hour: 10, minute: 30))", "address_service_id": "101",
                 "patient": {"name": "Anna", "surname": "Nowak", "email": "anna@example.com", "phone": "+48500100200"},
                 "comment": "booked by the partner"}
                """
            #expect(try call(daemon, "POST", "/v1/bookings", body: body, token: "wrong-token").0 == 401)
            #expect(try call(daemon, "POST", "/v1/bookings", body: body, token: nil).0 == 401)
            let invalid = try call(
                daemon, "POST", "/v1/bookings", body: body.replacingOccurrences(of: "+48500100200", with: ""))
            #expect(invalid.0 == 400)
            #expect(invalid.1["field"] as? String == "patient.phone", "\(invalid.1)")

            let (status, created) = try call(daemon, "POST", "/v1/bookings", body: body)
            #expect(status == 201, "\(created)")
            let row = created["id"] as? Int ?? 0
            var docplannerID = ""
            #expect(
                try eventually {
                    docplannerID =
                        try call(daemon, "GET", "/v1/bookings/\(row)").1["docplanner_booking_id"] as? String ?? ""
                    return !docplannerID.isEmpty
                }, "\(daemon.log)")
            let onDocplanner = try simulator.booking(docplannerID)
            #expect(onDocplanner?["status"] as? String == "booked", "\(String(describing: onDocplanner))")
            #expect(onDocplanner?["start_at"] as? String == warsawTime(days: 4, hour: 10))
            let shown = try call(daemon, "GET", "/v1/bookings/\(row)").1
            #expect(shown["status"] as? String == "booked")
            #expect(shown["start"] as? String == warsawTime(days: 4, hour: 10))
            #expect(try call(daemon, "GET", "/v1/bookings/\(row + 1000)").0 == 404)

            // Canceled through /v1: canceled on Docplanner.
            let (canceled, _) = try call(daemon, "PATCH", "/v1/bookings/\(row)", body: #"{"status": "canceled"}"#)
            #expect(canceled == 200)
            #expect(try eventually { try simulator.booking(docplannerID)?["status"] as? String == "canceled" })

            let store = daemon.directory.file("state/dpbridge.sqlite")
            #expect(try sqlite(store, "SELECT count(*) FROM inbox WHERE state = 'dead'") == "0")
            #expect(try sqlite(store, "SELECT count(*) FROM outbox WHERE state = 'dead'") == "0")
        }
    }

    @Test func withoutATokenThePartnerAPIIsOff() throws {
        let daemon = try RunningDaemon(adminToken: nil)
        defer { daemon.stopAndReadLog() }
        let (status, body) = try call(daemon, "GET", "/v1/bookings/1")
        #expect(status == 404)
        #expect((body["error"] as? String)?.contains("listen.admin.token") == true, "\(body)")
        // The operator's routes are closed too, whoever asks; health stays open here.
        for path in ["/status", "/jobs", "/jobs/1"] {
            let (code, answer) = try call(daemon, "GET", path, token: nil)
            #expect(code == 403, "\(path)")
            #expect((answer["error"] as? String)?.contains("listen.admin.token") == true, "\(path): \(answer)")
        }
        #expect(try call(daemon, "GET", "/health", token: nil).0 == 200)
    }
}
