import DocplannerAPI
import Foundation
import TestSupport
import Testing

/// A 404 means "nothing there" only when its body says so ("No slots found on given
/// address", "No notifications found"). Any other 404 (Docplanner's generic "Object not
/// found" or "No route found", a web server's page for a wrong base URL, an empty body) is
/// an error: taken as empty, it would clear a day's slots or end a pull with events lost.
@Suite struct EmptyAnswerTests {
    static let address = "/facilities/1/doctors/123/addresses/111"
    /// 2020-12-01T00:00:00+01:00
    static let december1 = Date(timeIntervalSince1970: 1_606_777_200)

    /// 404 answers that do not say the list is empty.
    static let otherNotFounds: [(label: String, response: ScriptedResponse)] = [
        ("Object not found", problem(404, #"{"errors":[],"message":"Object not found"}"#)),
        (
            "No route found",
            .json(
                404, #"{"error":"No route found for \"GET /api/v3/integration/whatever\""}"#,
                contentType: "application/json")
        ),
        (
            "an HTML page",
            ScriptedResponse(
                status: 404, headers: ["Content-Type": "text/html"],
                body: "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><hr>nginx</body></html>")
        ),
        ("an empty body", ScriptedResponse(status: 404)),
    ]

    /// True when `call` threw `DocplannerError.notFound` (and did not answer).
    private static func throwsNotFound<T>(_ call: () throws(DocplannerError) -> T) -> Bool {
        do {
            _ = try call()
            return false
        } catch .notFound {
            return true
        } catch {
            return false
        }
    }

    @Test(arguments: 0..<otherNotFounds.count) func getSlotsTakesOnlyNoSlotsAsEmpty(_ index: Int) throws {
        let other = Self.otherNotFounds[index]
        let server = try scriptedDocplanner([
            api(
                "GET", Self.address + "/slots",
                problem(404, #"{"errors":[],"message":"No slots found on given address"}"#), other.response)
        ])
        defer { server.stop() }
        let client = client(of: server)
        let get = { () throws(DocplannerError) -> [Slot] in
            try client.getSlots(
                facilityID: "1", doctorID: "123", addressID: "111", start: Self.december1,
                end: Self.december1.addingTimeInterval(86400))
        }
        #expect(try get().isEmpty, "the documented body is an empty list")
        #expect(Self.throwsNotFound(get), "\(other.label) is an error, not an empty list")
    }

    @Test(arguments: 0..<otherNotFounds.count) func pullTakesOnlyNoNotificationsAsEmpty(_ index: Int) throws {
        let other = Self.otherNotFounds[index]
        let empty = problem(404, #"{"errors":[],"message":"No notifications found"}"#)
        let server = try scriptedDocplanner([
            api("GET", "/notifications/multiple", empty, other.response),
            api("GET", "/notifications", empty, other.response),
        ])
        defer { server.stop() }
        let client = client(of: server)
        #expect(try client.pullNotifications(limit: 10).notifications.isEmpty, "the documented body is an empty batch")
        #expect(
            Self.throwsNotFound { () throws(DocplannerError) in try client.pullNotifications(limit: 10) },
            "\(other.label) is an error, not an empty batch")
        #expect(try client.pullNotification() == nil, "the documented body is an empty queue")
        #expect(
            Self.throwsNotFound { () throws(DocplannerError) in try client.pullNotification() },
            "\(other.label) is an error, not an empty queue")
    }

    /// `cancelBookingIfBooked` takes a 404 as "gone already" (nothing to cancel) only with
    /// Docplanner's "Object not found"; after any other 404 the booking may still be booked.
    @Test(arguments: 1..<otherNotFounds.count) func cancelTakesOnlyObjectNotFoundAsGone(_ index: Int) throws {
        let other = Self.otherNotFounds[index]
        let server = try scriptedDocplanner([
            api(
                "DELETE", Self.address + "/bookings/2134124",
                problem(404, #"{"errors":[],"message":"Object not found"}"#), other.response)
        ])
        defer { server.stop() }
        let client = client(of: server)
        let cancel = { () throws(DocplannerError) -> Bool in
            try client.cancelBookingIfBooked(facilityID: "1", doctorID: "123", addressID: "111", bookingID: "2134124")
        }
        #expect(try cancel() == false, "the documented body: gone already, nothing canceled")
        #expect(Self.throwsNotFound(cancel), "\(other.label) is an error, not a booking gone")
    }
}
