import Curl
import Foundation
import Partner
import Synchronization
import TestSupport
import Testing

/// The HTTP partner adapter: the signature, the JSON shape of a forwarded event, how the
/// partner's answers map to applied / retry / dead letter, and that the mirror records
/// an event only once the partner took it.
@Suite struct HTTPPartnerTests {
    let calendar = CalendarRef(facilityID: "1", doctorID: "123", addressID: "111")

    // MARK: Signature

    @Test func signatureMatchesPythonHMACOfIdTimestampAndBody() {
        // python3: base64(hmac.new(b"partner-secret", b"<id>.<ts>.<body>", sha256).digest())
        let signer = WebhookSigner(secret: "partner-secret")
        let signature = signer.signature(
            id: "slot-booked|booking:42|2026-03-02T10:00:00+01:00", timestamp: 1_767_225_600,
            body: Data(#"{"a":1}"#.utf8))
        #expect(signature == "v1,X5ZTsFDLnynxKvAhPv35vRjn44uloOiXj+JsQ1Bgtxw=")
    }

    @Test func whsecSecretIsBase64DecodedLikeStandardWebhooks() {
        // The Standard Webhooks specification's own example.
        let signer = WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    // MARK: JSON shape

    @Test func eventJSONHasDocumentedShape() throws {
        let old = PartnerBooking(
            docplannerID: "900", calendar: calendar, startAt: "2026-03-02T10:00:00+01:00",
            end: Date(timeIntervalSince1970: 1_772_443_800), patient: PartnerPatient(name: "Anna", phone: "+48500"))
        var new = old
        new.docplannerID = "901"
        let event = PartnerEvent(
            eventKey: "booking-moved|booking:900|x", eventTime: Date(timeIntervalSince1970: 1_772_000_000),
            changes: [
                .moved(old: old, new: new),
                .presence(bookingID: "900", calendar: calendar, presence: "present"),
                .breakRemoved(PartnerBreak(docplannerID: "b7", calendar: calendar, since: "2026-03-02T12:00:00+01:00")),
            ])
        let body = event.jsonBody()
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(json["event_key"] as? String == "booking-moved|booking:900|x")
        #expect(json["event_time"] as? String == "2026-02-25T06:13:20Z")
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.map { $0["type"] as? String } == ["moved", "presence", "break_removed"])
        let moved = try #require(changes[0]["old"] as? [String: Any])
        #expect(moved["docplanner_booking_id"] as? String == "900")
        #expect(moved["start"] as? String == "2026-03-02T10:00:00+01:00")
        #expect(moved["end"] as? String == "2026-03-02T09:30:00Z")
        #expect(moved["status"] as? String == "booked")
        #expect(moved["confirmed"] as? Bool == false)
        #expect(moved["comment"] == nil)  // absent values are left out
        #expect(
            (moved["calendar"] as? [String: String]) == ["facility_id": "1", "doctor_id": "123", "address_id": "111"])
        #expect((moved["patient"] as? [String: String]) == ["name": "Anna", "phone": "+48500"])
        #expect((changes[0]["new"] as? [String: Any])?["docplanner_booking_id"] as? String == "901")
        #expect(changes[1]["booking_id"] as? String == "900")
        #expect(changes[1]["presence"] as? String == "present")
        #expect((changes[2]["break"] as? [String: Any])?["docplanner_break_id"] as? String == "b7")
        // Compact with sorted keys: the bytes signed are stable.
        #expect(String(decoding: body, as: UTF8.self).hasPrefix(#"{"changes":[{"new":{"calendar":{"address_id":"111""#))
    }

    // MARK: Error mapping

    @Test(arguments: [200, 201, 204, 409]) func successStatuses(status: Int) {
        #expect(PartnerForwarder.outcome(status: status, body: Data()) == nil)
    }

    @Test(arguments: [408, 429, 500, 502, 503, 504]) func retryableStatuses(status: Int) {
        #expect(PartnerForwarder.outcome(status: status, body: Data())?.isRetryable == true)
    }

    @Test(arguments: [400, 401, 403, 404, 410, 422]) func permanentStatusesCarryThePartnersMessage(status: Int) {
        let error = PartnerForwarder.outcome(status: status, body: Data(#"{"error":"unknown doctor 123"}"#.utf8))
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("unknown doctor 123") == true, "\(String(describing: error))")
    }

    @Test func refusedConnectionIsRetryable() throws {
        let forwarder = PartnerForwarder(
            url: "http://127.0.0.1:\(freeLoopbackPort())/events", secret: "s", timeoutSeconds: 2)
        #expect(throws: PartnerError.self) {
            try forwarder.forward(PartnerEvent(eventKey: "k", eventTime: Date(), changes: []))
        }
        do {
            try forwarder.forward(PartnerEvent(eventKey: "k", eventTime: Date(), changes: []))
        } catch {
            #expect(error.isRetryable)
        }
    }

    @Test func theObserverHearsEachPostWithItsStatus() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "POST", "/events", [ScriptedResponse(status: 503, body: "down"), ScriptedResponse(status: 204)])
        ])
        defer { server.stop() }
        let heard = Mutex<[Int?]>([])
        let forwarder = PartnerForwarder(
            url: "\(server.baseURL)/events", secret: "s", timeoutSeconds: 5,
            observer: { attempt in heard.withLock { $0.append(attempt.status) } })
        let event = PartnerEvent(eventKey: "k", eventTime: Date(), changes: [])
        #expect(throws: PartnerError.self) { try forwarder.forward(event) }
        try forwarder.forward(event)
        let refused = PartnerForwarder(
            url: "http://127.0.0.1:\(freeLoopbackPort())/events", secret: "s", timeoutSeconds: 2,
            observer: { attempt in heard.withLock { $0.append(attempt.status) } })
        #expect(throws: PartnerError.self) { try refused.forward(event) }
        #expect(heard.withLock { $0 } == [503, 204, nil])
    }

    @Test func timeoutIsRetryable() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("POST", "/events", [ScriptedResponse(status: 200, delay: 3)])
        ])
        defer { server.stop() }
        let forwarder = PartnerForwarder(url: "\(server.baseURL)/events", secret: "s", timeoutSeconds: 1)
        do {
            try forwarder.forward(PartnerEvent(eventKey: "k", eventTime: Date(), changes: []))
            Issue.record("a timed-out forward must throw")
        } catch {
            #expect(error.isRetryable, "\(error)")
        }
    }

    // MARK: Forward, then mirror

    @Test func eventIsSignedForwardedAndMirroredOnlyOnceThePartnerTookIt() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "POST", "/events",
                [
                    ScriptedResponse(status: 503, body: "down"), .json(200, "{}", contentType: "application/json"),
                ])
        ])
        defer { server.stop() }
        let directory = try TemporaryDirectory(prefix: "dpbridge-http-partner")
        defer { directory.remove() }
        let partner = HTTPPartner(
            mirror: try EmbeddedPartner(path: directory.file("mirror.sqlite")),
            forwarder: PartnerForwarder(
                url: "\(server.baseURL)/events", secret: "partner-secret", timeoutSeconds: 5,
                now: { Date(timeIntervalSince1970: 1_767_225_600) }))
        let booking = PartnerBooking(
            docplannerID: "42", calendar: calendar, start: Date(timeIntervalSince1970: 1_800_000_000),
            end: Date(timeIntervalSince1970: 1_800_001_800))
        let key = "slot-booked|booking:42|t"

        // The partner is down: retryable, and the mirror has nothing.
        do {
            _ = try partner.apply(
                [.booked(booking)], eventKey: key, eventTime: Date(timeIntervalSince1970: 1_767_000_000))
            Issue.record("a 503 must throw")
        } catch {
            #expect(error.isRetryable)
        }
        #expect(try partner.booking(docplannerID: "42") == nil)
        #expect(try partner.isFree(calendar, start: booking.start!, end: booking.end!, ignoring: nil))

        // It is back: applied, mirrored; a redelivery is not forwarded again.
        #expect(
            try partner.apply([.booked(booking)], eventKey: key, eventTime: Date(timeIntervalSince1970: 1_767_000_000)))
        #expect(try partner.booking(docplannerID: "42")?.status == .booked)
        #expect(try !partner.isFree(calendar, start: booking.start!, end: booking.end!, ignoring: nil))
        #expect(
            try !partner.apply([.booked(booking)], eventKey: key, eventTime: Date(timeIntervalSince1970: 1_767_000_000))
        )

        let requests = try server.requests()
        #expect(requests.count == 2)
        let last = try #require(requests.last)
        #expect(last.header("webhook-id") == key)
        #expect(last.header("webhook-timestamp") == "1767225600")
        #expect(last.header("content-type") == "application/json")
        let expected = WebhookSigner(secret: "partner-secret").signature(
            id: key, timestamp: 1_767_225_600, body: Data(last.body.utf8))
        #expect(last.header("webhook-signature") == expected)
        #expect(last.body.contains(#""type":"booked""#))
    }

    @Test func permanentRefusalIsNotMirrored() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "POST", "/events", [.json(422, #"{"message":"no such doctor"}"#, contentType: "application/json")])
        ])
        defer { server.stop() }
        let directory = try TemporaryDirectory(prefix: "dpbridge-http-partner")
        defer { directory.remove() }
        let partner = HTTPPartner(
            mirror: try EmbeddedPartner(path: directory.file("mirror.sqlite")),
            forwarder: PartnerForwarder(url: "\(server.baseURL)/events", secret: "s", timeoutSeconds: 5))
        do {
            _ = try partner.apply(
                [.booked(PartnerBooking(docplannerID: "43", calendar: calendar))], eventKey: "k43", eventTime: Date())
            Issue.record("a 422 must throw")
        } catch {
            #expect(!error.isRetryable)
            #expect(error.description.contains("no such doctor"))
        }
        #expect(try !partner.mirror.hasApplied(eventKey: "k43"))
    }
}
